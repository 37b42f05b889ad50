/**
 * The OSV import loop: each input item is parsed, validated and mapped on its own, so one bad
 * record is an issue (with its file and id) and the rest of the feed still imports.
 */
import { basename, dirname } from 'node:path';
import { AssayError } from '../../../model/errors.js';
import { schemeForEcosystem } from '../../../versioning/registry.js';
import type { AdvisorySink, ImportContext, ImportStats } from '../../importer.js';
import { ecosystemBase } from '../../names.js';
import { zipJsonEntries } from '../common/zip.js';
import { osvInputs } from './inputs.js';
import { toAdvisory } from './record.js';
import { firstProblem, type OsvRecord, osvRecordSchema } from './schema.js';

const PROGRESS_EVERY = 1000;

type Parsed = { ok: true; record: OsvRecord } | { ok: false; id?: string; message: string };

export function parseOsvRecord(text: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `malformed JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, message: 'not an OSV record: expected a JSON object' };
  }
  const result = osvRecordSchema.safeParse(json);
  if (result.success) return { ok: true, record: result.data };
  const id = 'id' in json && typeof json.id === 'string' && json.id !== '' ? json.id : undefined;
  return { ok: false, id, message: `not an OSV record: ${firstProblem(result.error)}` };
}

/** The ecosystem bases a zip's records name (a first pass, for an all.zip of unknown parentage). */
async function zipEcosystems(path: string, ctx: ImportContext): Promise<Set<string>> {
  const bases = new Set<string>();
  for await (const item of zipJsonEntries(path, ctx.maxRecordBytes, ctx.label)) {
    if (!('text' in item)) continue;
    const parsed = parseOsvRecord(item.text);
    if (!parsed.ok) continue;
    for (const a of parsed.record.affected ?? []) bases.add(ecosystemBase(a.package.ecosystem));
  }
  return bases;
}

/**
 * OSV publishes one complete `all.zip` per ecosystem (https://google.github.io/osv.dev/data/),
 * so importing one replaces what an earlier import of the same ecosystem wrote: records
 * withdrawn or deleted upstream disappear. The ecosystem comes from the parent directory
 * (`…/PyPI/all.zip`), else from the records when they all name one. Other inputs upsert.
 */
async function snapshotScope(path: string, ctx: ImportContext): Promise<string | undefined> {
  if (basename(path).toLowerCase() !== 'all.zip') return undefined;
  const parent = basename(dirname(path));
  if (schemeForEcosystem(parent) !== undefined) return `osv:${parent}`;
  const bases = [...(await zipEcosystems(path, ctx))];
  return bases.length === 1 ? `osv:${bases[0]}` : undefined;
}

function checkAborted(ctx: ImportContext): void {
  if (ctx.signal?.aborted) throw new AssayError('aborted', `${ctx.label}: import aborted`);
}

export async function importOsv(path: string, sink: AdvisorySink, ctx: ImportContext): Promise<ImportStats> {
  const scope = await snapshotScope(path, ctx);
  checkAborted(ctx);
  if (scope !== undefined) sink.snapshot(scope);
  let records = 0;
  let skipped = 0;
  for await (const item of osvInputs(path, ctx.label, ctx.maxRecordBytes)) {
    checkAborted(ctx);
    if ('problem' in item) {
      ctx.issue({ file: item.file, record: item.entry, message: item.problem });
      skipped++;
      continue;
    }
    const parsed = parseOsvRecord(item.text);
    if (!parsed.ok) {
      ctx.issue({ file: item.file, record: parsed.id ?? item.entry, message: parsed.message });
      skipped++;
      continue;
    }
    const { id } = parsed.record;
    sink.putAdvisory(
      toAdvisory(parsed.record, (message) => ctx.issue({ file: item.file, record: id, message })),
    );
    records++;
    if (records % PROGRESS_EVERY === 0) ctx.progress?.(records);
  }
  ctx.progress?.(records);
  return scope !== undefined ? { records, skipped, scope } : { records, skipped };
}
