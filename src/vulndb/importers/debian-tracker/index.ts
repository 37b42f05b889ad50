/**
 * The Debian security tracker's JSON export (https://security-tracker.debian.org/tracker/data/json,
 * plain or gzipped): `{<source package>: {<CVE or TEMP id>: {description, releases: {<codename>:
 * {status, fixed_version, urgency, nodsa_reason…}}}}}`. The file is one ~70 MB object, so it is
 * split into per-package members as it streams in (`json-members.ts`) and only one package's
 * object is ever parsed; mapping decisions are in `map-tracker.ts` and README.md.
 */
import { isUtf8 } from 'node:buffer';
import { AssayError } from '../../../model/errors.js';
import type { AdvisoryImporter, AdvisorySink, ImportContext, ImportStats } from '../../importer.js';
import { feedBytes } from '../common/feed-input.js';
import { type JsonMember, MemberSplitter } from './json-members.js';
import { FEED, TrackerMapper } from './map-tracker.js';

const SCOPE = FEED;

/** `{"<package>": {"CVE-…` or `"TEMP-…`, and a `releases` key somewhere in the head. */
const HEAD = /^\s*\{\s*"[^"\\]{1,200}"\s*:\s*\{\s*"(?:CVE|TEMP)-/;

export const debianTrackerImporter = {
  id: 'debian-tracker',
  version: 1,
  detect: (head: string) => HEAD.test(head.replace(/^\uFEFF/, '')) && head.includes('"releases"'),
  import: importTracker,
} satisfies AdvisoryImporter;

async function importTracker(path: string, sink: AdvisorySink, ctx: ImportContext): Promise<ImportStats> {
  const stats: ImportStats = { records: 0, skipped: 0, scope: SCOPE };
  const report = (record: string, message: string): void => {
    stats.skipped++;
    ctx.issue({ file: ctx.label, record, message });
  };
  const mapper = new TrackerMapper(report);
  const splitter = new MemberSplitter(ctx.label, ctx.maxRecordBytes);
  sink.snapshot(SCOPE);
  for await (const chunk of feedBytes(path, ctx.label, ctx.signal)) {
    for (const member of splitter.push(chunk)) {
      if (ctx.signal?.aborted) throw new AssayError('aborted', `${ctx.label}: aborted`);
      const value = parseMember(member, ctx.maxRecordBytes, report);
      if (value === undefined) continue;
      for (const advisory of mapper.advisories(value.name, value.json, value.badUtf8)) {
        sink.putAdvisory(advisory);
        stats.records++;
      }
      ctx.progress?.(stats.records);
    }
  }
  splitter.end();
  return stats;
}

interface ParsedMember {
  name: string;
  json: unknown;
  badUtf8: boolean;
}

/** One package's JSON, or undefined after reporting why it is skipped. */
function parseMember(
  member: JsonMember,
  max: number,
  report: (record: string, message: string) => void,
): ParsedMember | undefined {
  const at = `byte ${member.offset}`;
  if (member.name === undefined) {
    report(at, 'member name is not a valid JSON string');
    return undefined;
  }
  if (member.value === undefined) {
    report(member.name, `${member.size} bytes of JSON at ${at}, over the ${max}-byte record limit`);
    return undefined;
  }
  const badUtf8 = !isUtf8(member.value);
  try {
    return { name: member.name, json: JSON.parse(member.value.toString('utf8')), badUtf8 };
  } catch (err) {
    report(member.name, `invalid JSON at ${at}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
