/**
 * What `assay db search` shows: everything the DB knows about one vulnerability id, or about
 * one package name (optionally evaluated against a version) — users' first stop when they doubt
 * a finding, so it answers with the same data, CVSS choice and range evaluation a scan uses.
 */
import { chooseCvssV3 } from '../match/cvss-choice.js';
import { InvalidVersionError, isAffected, type OsvRange, schemeForEcosystem } from '../versioning/index.js';
import { ecosystemBase } from './names.js';
import type { AdvisoryInfo, AffectedEntry, VulnDbReader } from './reader.js';
import type { CvssRecord, EpssRecord, KevRecord } from './types.js';

/** The reader queries search needs beyond the matcher's (implemented by `SqliteReader`). */
export interface SearchableDb extends VulnDbReader {
  affectedOf(feed: string, advisoryId: string): readonly AffectedEntry[];
  affectedInAnyEcosystem(name: string): readonly AffectedEntry[];
}

export interface CvssRow extends CvssRecord {
  /** The score a scan would report for this vulnerability. */
  chosen: boolean;
}

export interface AffectedRow {
  feed: string;
  advisoryId: string;
  ecosystem: string;
  package: string;
  status: string;
  /** The ranges as text: `>=0 <1.2.3`, intervals `, `-separated, ranges ` || `-separated. */
  ranges: string;
  versions: string[];
  fixed?: string;
  vendorSeverity?: string;
  /** With `--version`: `AFFECTED`, `not affected`, or `unknown (…)` when it cannot be decided. */
  verdict?: string;
  /** The advisory's aliases and summary (package search: what the entry is about). */
  aliases?: string[];
  summary?: string;
}

export interface IdReport {
  id: string;
  advisories: AdvisoryInfo[];
  cvss: CvssRow[];
  epss?: EpssRecord;
  kev?: KevRecord;
  affected: AffectedRow[];
}

/** One OSV range as `>=a <b, >=c <=d`; `limit` events print as `<l (limit)`. */
export function renderRange(range: OsvRange): string {
  const parts: string[] = [];
  let current = '';
  for (const e of range.events) {
    if (e.introduced !== undefined) {
      if (current) parts.push(current);
      current = `>=${e.introduced}`;
    } else if (e.fixed !== undefined) current = `${current} <${e.fixed}`.trim();
    else if (e.last_affected !== undefined) current = `${current} <=${e.last_affected}`.trim();
    else if (e.limit !== undefined) current = `${current} <${e.limit} (limit)`.trim();
  }
  if (current) parts.push(current);
  const text = parts.join(', ');
  return range.type === 'ECOSYSTEM' ? text : `${range.type} ${text}`;
}

export function renderRanges(ranges: readonly OsvRange[]): string {
  return ranges.map(renderRange).join(' || ');
}

function affectedRow(e: AffectedEntry): AffectedRow {
  const row: AffectedRow = {
    feed: e.feed,
    advisoryId: e.advisoryId,
    ecosystem: e.ecosystem,
    package: e.package,
    status: e.status,
    ranges: renderRanges(e.ranges),
    versions: e.versions,
  };
  if (e.fixed) row.fixed = e.fixed;
  if (e.vendorSeverity) row.vendorSeverity = e.vendorSeverity;
  return row;
}

export function searchId(db: SearchableDb, id: string): IdReport {
  const advisories = [...db.advisoriesFor(id)];
  const ids = [...new Set([id, ...advisories.flatMap((a) => [a.id, ...a.aliases])])];
  const scores = db.cvss(ids);
  const report: IdReport = {
    id,
    advisories,
    cvss: markChosen(scores, id),
    affected: advisories.flatMap((a) => db.affectedOf(a.feed, a.id).map(affectedRow)),
  };
  const cve = ids.find((i) => i.startsWith('CVE-'));
  const epss = cve ? db.epss(cve) : undefined;
  const kev = cve ? db.kev(cve) : undefined;
  if (epss) report.epss = epss;
  if (kev) report.kev = kev;
  return report;
}

/** Marks the record the scan's own choice (`match/cvss-choice.ts`) picks for this id. */
function markChosen(scores: readonly CvssRecord[], id: string): CvssRow[] {
  const pick = chooseCvssV3(scores, id);
  let marked = false;
  return scores.map((r) => {
    const chosen =
      !marked &&
      pick !== undefined &&
      r.source === pick.source &&
      r.version === pick.version &&
      r.vector === pick.vector &&
      r.baseScore === pick.score &&
      r.sourceName === pick.sourceName;
    marked ||= chosen;
    return { ...r, chosen };
  });
}

export interface PackageQuery {
  name: string;
  /** An exact namespace (`Debian:12`, case-insensitive) or a base (`Debian`: every release). */
  ecosystem?: string;
  version?: string;
}

export function searchPackage(db: SearchableDb, q: PackageQuery): AffectedRow[] {
  const entries = q.ecosystem
    ? matchingEcosystems(db, q.ecosystem).flatMap((e) => db.affected(e, q.name))
    : db.affectedInAnyEcosystem(q.name);
  const advisories = new Map<string, AdvisoryInfo | undefined>();
  return entries.map((e) => {
    const row = affectedRow(e);
    const key = `${e.feed}\u0000${e.advisoryId}`;
    if (!advisories.has(key)) advisories.set(key, db.advisory(e.feed, e.advisoryId));
    const adv = advisories.get(key);
    if (adv?.aliases.length) row.aliases = adv.aliases;
    if (adv?.summary) row.summary = adv.summary;
    if (q.version !== undefined) row.verdict = verdict(e, q.version);
    return row;
  });
}

function matchingEcosystems(db: VulnDbReader, wanted: string): string[] {
  const w = wanted.toLowerCase();
  return db
    .ecosystems()
    .filter((e) => e.toLowerCase() === w || (!w.includes(':') && ecosystemBase(e).toLowerCase() === w));
}

/** Whether `version` of the entry's package is affected, evaluated as the matcher does. */
export function verdict(e: AffectedEntry, version: string): string {
  if (e.status === 'not_affected') return 'not affected';
  const scheme = schemeForEcosystem(e.ecosystem);
  if (!scheme) return `unknown (no version scheme for ${e.ecosystem})`;
  try {
    return isAffected(scheme, e.ranges, version, e.versions) ? 'AFFECTED' : 'not affected';
  } catch (err) {
    if (err instanceof InvalidVersionError) return `unknown (${err.message})`;
    throw err;
  }
}
