/**
 * Alpine secdb importer (https://secdb.alpinelinux.org/): one `<release>/<repository>.json`
 * (or `.json.gz`) per import, a complete snapshot of that repository's security fixes. See
 * README.md for the mapping.
 */
import { AssayError } from '../../../model/errors.js';
import type { AdvisoryImporter, AdvisorySink, ImportContext, ImportStats } from '../../importer.js';
import { parseSecdb } from './parse.js';
import { readSecdbJson } from './read.js';

const PROGRESS_EVERY = 1000;

/** The secdb's own top-level keys; no other feed has `distroversion`. */
function detectSecdb(head: string, _path: string): boolean {
  return /^\s*\{/.test(head) && head.includes('"distroversion"') && /"(secfixes|packages)"/.test(head);
}

async function importSecdb(path: string, sink: AdvisorySink, ctx: ImportContext): Promise<ImportStats> {
  const doc = await readSecdbJson(path, ctx.label, ctx.maxRecordBytes);
  const parsed = parseSecdb(doc);
  if (!parsed.ok) throw new AssayError('invalid-input', `${ctx.label}: ${parsed.error}`);
  const { feed, advisories, issues, skipped } = parsed.result;
  for (const i of issues) ctx.issue({ file: ctx.label, ...i });
  // Each file is the whole of one release's repository: what an earlier import of it wrote
  // and this one lacks was withdrawn upstream.
  const scope = feed;
  sink.snapshot(scope);
  let records = 0;
  for (const advisory of advisories) {
    if (ctx.signal?.aborted) throw new AssayError('aborted', `${ctx.label}: import aborted`);
    sink.putAdvisory(advisory);
    records++;
    if (records % PROGRESS_EVERY === 0) ctx.progress?.(records);
  }
  ctx.progress?.(records);
  return { records, skipped, scope };
}

export const alpineSecdbImporter = {
  id: 'alpine-secdb',
  version: 1,
  detect: detectSecdb,
  import: importSecdb,
} satisfies AdvisoryImporter;
