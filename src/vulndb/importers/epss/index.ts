/**
 * FIRST EPSS scores (https://epss.empiricalsecurity.com/epss_scores-current.csv.gz, formerly
 * https://epss.cyentia.com/…), `.csv` or `.csv.gz`, read line by line: memory stays flat for the
 * ~300k rows of a daily file. Row-level junk is reported and skipped; a file without the
 * `cve,epss,percentile` header is not an EPSS file and is refused whole.
 */
import { AssayError } from '../../../model/errors.js';
import type { AdvisoryImporter, AdvisorySink, ImportContext, ImportStats } from '../../importer.js';
import type { EpssRecord } from '../../types.js';
import { feedBytes } from '../common/feed-input.js';
import { type FeedLine, feedLines } from './lines.js';
import { COLUMNS, type EpssHeader, isColumnsLine, parseModelLine, parseRow } from './parse.js';

const SCOPE = 'epss';
/** A row is ~40 bytes; anything this long is not a row, and is not buffered whole. */
export const MAX_LINE_BYTES = 4096;
const PROGRESS_EVERY = 10_000;

export const epssImporter = {
  id: 'epss',
  version: 1,
  detect: (head: string) => {
    const text = head.replace(/^\uFEFF/, '');
    return text.startsWith('#model_version') || isColumnsLine(text.split('\n', 1)[0]?.trimEnd() ?? '');
  },
  import: importEpss,
} satisfies AdvisoryImporter;

async function importEpss(path: string, sink: AdvisorySink, ctx: ImportContext): Promise<ImportStats> {
  const stats: ImportStats = { records: 0, skipped: 0, scope: SCOPE };
  const report = (line: FeedLine, message: string): void => {
    stats.skipped++;
    ctx.issue({ file: ctx.label, record: `line ${line.number}`, message });
  };
  const lines = feedLines(feedBytes(path, ctx.label, ctx.signal), MAX_LINE_BYTES);
  try {
    const header = await readHeader(lines, ctx, report);
    if (header.date) stats.dataDate = header.date;
    sink.snapshot(SCOPE);
    await readRows(lines, header, sink, ctx, stats, report);
  } finally {
    await lines.return(undefined); // closes the file when the header was not found
  }
  return stats;
}

async function readRows(
  lines: AsyncGenerator<FeedLine>,
  header: EpssHeader,
  sink: AdvisorySink,
  ctx: ImportContext,
  stats: ImportStats,
  report: (line: FeedLine, message: string) => void,
): Promise<void> {
  for await (const line of lines) {
    if (line.tooLong) report(line, `line longer than ${MAX_LINE_BYTES} bytes`);
    if (line.tooLong || line.text.trim() === '') continue;
    const row = parseRow(line.text);
    if (typeof row === 'string') {
      report(line, row);
      continue;
    }
    sink.putEpss(record(row, header));
    if (++stats.records % PROGRESS_EVERY === 0) ctx.progress?.(stats.records);
  }
  ctx.progress?.(stats.records);
}

/**
 * Reads up to and including the column header: `#` comment lines (the model line among them)
 * and blank lines may come first, anything else means this is not an EPSS file.
 */
async function readHeader(
  lines: AsyncGenerator<FeedLine>,
  ctx: ImportContext,
  report: (line: FeedLine, message: string) => void,
): Promise<EpssHeader> {
  let header: EpssHeader = {};
  for (;;) {
    const { value: line, done } = await lines.next();
    if (done) throw new AssayError('invalid-input', `${ctx.label}: no "${COLUMNS}" header: not an EPSS CSV`);
    if (ctx.signal?.aborted) throw new AssayError('aborted', `${ctx.label}: aborted`);
    const text = line.text.replace(/^\uFEFF/, '').trim();
    if (isColumnsLine(text) && !line.tooLong) return header;
    if (text.startsWith('#model_version') || text.startsWith('#score_date')) {
      const parsed = parseModelLine(text);
      if (typeof parsed === 'string') report(line, parsed);
      else header = parsed;
    } else if (!text.startsWith('#') && (text !== '' || line.tooLong)) {
      const found = line.tooLong ? `a line over ${MAX_LINE_BYTES} bytes` : `"${text.slice(0, 60)}"`;
      throw new AssayError(
        'invalid-input',
        `${ctx.label}: line ${line.number}: expected the "${COLUMNS}" header, found ${found}: not an EPSS CSV`,
      );
    }
  }
}

function record(row: { cve: string; score: number; percentile: number }, header: EpssHeader): EpssRecord {
  return {
    cve: row.cve,
    score: row.score,
    percentile: row.percentile,
    ...(header.date ? { date: header.date } : {}),
    ...(header.modelVersion ? { modelVersion: header.modelVersion } : {}),
  };
}
