/**
 * CISA KEV JSON (https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json),
 * plain or gzipped. The catalog is one document of ~1.3 MB, read whole (up to the record
 * limit) and checked entry by entry; see `parse.ts` for what is kept and README.md for why.
 */
import { isUtf8 } from 'node:buffer';
import { AssayError, errorMessage } from '../../../model/errors.js';
import type { AdvisoryImporter, AdvisorySink, ImportContext, ImportStats } from '../../importer.js';
import { feedBytes } from '../common/feed-input.js';
import { catalogDate, isObject, kevRecord } from './parse.js';

const SCOPE = 'kev';

export const kevImporter = {
  id: 'kev',
  version: 1,
  detect: (head: string) =>
    /^\s*\{/.test(head.replace(/^\uFEFF/, '')) &&
    (head.includes('"catalogVersion"') || (head.includes('"vulnerabilities"') && head.includes('"cveID"'))),
  import: importKev,
} satisfies AdvisoryImporter;

async function importKev(path: string, sink: AdvisorySink, ctx: ImportContext): Promise<ImportStats> {
  const doc = await readCatalog(path, ctx);
  const stats: ImportStats = { records: 0, skipped: 0, scope: SCOPE };
  const date = catalogDate(doc);
  if (date) stats.dataDate = date;
  const entries = doc.vulnerabilities;
  if (!Array.isArray(entries))
    throw new AssayError(
      'invalid-input',
      `${ctx.label}: "vulnerabilities" is not an array: not a KEV catalog`,
    );
  if (typeof doc.count === 'number' && doc.count !== entries.length)
    ctx.issue({
      file: ctx.label,
      record: 'count',
      message: `count says ${doc.count}, the catalog lists ${entries.length}`,
    });
  sink.snapshot(SCOPE);
  const seen = new Map<string, number>();
  entries.forEach((entry: unknown, index) => {
    const problems: string[] = [];
    const record = kevRecord(entry, problems);
    const cve = isObject(entry) && typeof entry.cveID === 'string' ? ` (${entry.cveID})` : '';
    const where = `entry ${index}${cve}`;
    if (typeof record === 'string') {
      stats.skipped++;
      ctx.issue({ file: ctx.label, record: where, message: record });
      return;
    }
    const earlier = seen.get(record.cve);
    if (earlier !== undefined) problems.push(`duplicate of entry ${earlier}; this later entry wins`);
    seen.set(record.cve, index);
    if (problems.length > 0) ctx.issue({ file: ctx.label, record: where, message: problems.join('; ') });
    sink.putKev(record);
    stats.records++;
  });
  ctx.progress?.(stats.records);
  return stats;
}

async function readCatalog(path: string, ctx: ImportContext): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of feedBytes(path, ctx.label, ctx.signal)) {
    size += chunk.length;
    if (size > ctx.maxRecordBytes)
      throw new AssayError('too-large', `${ctx.label}: over ${ctx.maxRecordBytes} bytes: not a KEV catalog`);
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  if (!isUtf8(bytes))
    ctx.issue({ file: ctx.label, message: 'not valid UTF-8: invalid bytes read as U+FFFD' });
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new AssayError('invalid-input', `${ctx.label}: invalid JSON: ${errorMessage(err)}`, { cause: err });
  }
  if (!isObject(doc))
    throw new AssayError('invalid-input', `${ctx.label}: not a JSON object: not a KEV catalog`);
  return doc;
}
