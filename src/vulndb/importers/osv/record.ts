/**
 * One validated OSV record → Assay's AdvisoryRecord (feed `osv`). Field semantics follow the
 * OSV schema (https://ossf.github.io/osv-schema/); the choices Assay makes are in README.md.
 * Problems inside a record that leave the rest usable (an unscorable vector, an unknown
 * ecosystem, an unparsable range bound) go to `report` and only that part is dropped.
 */

import type { OsvRange } from '../../../versioning/osv-range.js';
import { schemeForEcosystem } from '../../../versioning/registry.js';
import { scoreCvss } from '../../cvss.js';
import { ecosystemBase, normalizePackageName } from '../../names.js';
import type { AdvisoryRecord, AffectedRecord, CvssRecord, CvssSource, Reference } from '../../types.js';
import { checkRange, displayFixed } from './ranges.js';
import type { OsvAffected, OsvRecord } from './schema.js';

export const OSV_FEED = 'osv';

/** OSV ecosystems that are OS distributions (https://ossf.github.io/osv-schema/#defined-ecosystems). */
const DISTRO_ECOSYSTEMS: ReadonlySet<string> = new Set([
  'AlmaLinux',
  'Alpaquita',
  'Alpine',
  'Azure Linux',
  'BellSoft Hardened Containers',
  'Chainguard',
  'Debian',
  'Echo',
  'Mageia',
  'MinimOS',
  'openEuler',
  'openSUSE',
  'Photon OS',
  'Red Hat',
  'Rocky Linux',
  'SUSE',
  'Ubuntu',
  'Wolfi',
]);

const CVSS_TYPES: ReadonlySet<string> = new Set(['CVSS_V2', 'CVSS_V3', 'CVSS_V4']);

export function isDistroEcosystem(ecosystem: string): boolean {
  return DISTRO_ECOSYSTEMS.has(ecosystemBase(ecosystem));
}

/** `GHSA-xxxx` → `GHSA`, `RLSA-2023:3722` → `RLSA`, `DEBIAN-CVE-…` → `DEBIAN`. */
function idPrefix(id: string): string {
  const dash = id.indexOf('-');
  return dash > 0 ? id.slice(0, dash) : id;
}

/** A short string field of a free-form object, when it is one (`urgency`, `ubuntu_priority`…). */
function stringField(obj: Record<string, unknown> | null | undefined, keys: readonly string[]) {
  for (const k of keys) {
    const v = obj?.[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** Debian's `urgency`, Ubuntu's `ubuntu_priority`, GHSA/others' `severity`. */
const VENDOR_KEYS = ['urgency', 'ubuntu_priority', 'priority', 'severity'];

function vendorSeverityOf(a: OsvAffected): string | undefined {
  return stringField(a.ecosystem_specific, VENDOR_KEYS) ?? stringField(a.database_specific, VENDOR_KEYS);
}

function cvssOf(record: OsvRecord, source: CvssSource, report: (m: string) => void): CvssRecord[] {
  const all = [...(record.severity ?? []), ...(record.affected ?? []).flatMap((a) => a.severity ?? [])];
  const out: CvssRecord[] = [];
  const seen = new Set<string>();
  for (const s of all) {
    if (!CVSS_TYPES.has(s.type)) continue; // `Ubuntu` is a priority word, read as vendor severity
    const score = scoreCvss(s.score);
    if (!score) {
      report(`unscorable ${s.type} vector ${JSON.stringify(s.score)}`);
      continue;
    }
    if (seen.has(score.vector)) continue;
    seen.add(score.vector);
    out.push({ vulnId: record.id, source, sourceName: idPrefix(record.id), ...score });
  }
  return out;
}

function affectedOf(a: OsvAffected, report: (m: string) => void): AffectedRecord | undefined {
  const { ecosystem, name } = a.package;
  const scheme = schemeForEcosystem(ecosystem);
  if (scheme === undefined) {
    report(`unknown ecosystem ${JSON.stringify(ecosystem)} (package ${name}): entry skipped`);
    return undefined;
  }
  const ranges: OsvRange[] = [];
  for (const raw of a.ranges ?? []) {
    const checked = checkRange(scheme, raw);
    if (checked.kind === 'kept') ranges.push(checked.range);
    else if (checked.kind === 'dropped') report(`${ecosystem} ${name}: range dropped: ${checked.reason}`);
  }
  const versions = a.versions ?? [];
  // OSV IsAffected is false without a range or a listed version: such an entry matches nothing.
  if (ranges.length === 0 && versions.length === 0) return undefined;
  const fixed = displayFixed(scheme, ranges);
  const out: AffectedRecord = {
    ecosystem,
    package: normalizePackageName(ecosystem, name),
    status: fixed !== undefined ? 'fixed' : 'affected',
    ranges,
    versions: [...versions],
  };
  if (a.package.purl) out.purl = a.package.purl;
  if (fixed !== undefined) out.fixed = fixed;
  const vendor = vendorSeverityOf(a);
  if (vendor !== undefined) out.vendorSeverity = vendor;
  return out;
}

function referencesOf(record: OsvRecord): Reference[] {
  return (record.references ?? []).map((r) => (r.type ? { type: r.type, url: r.url } : { url: r.url }));
}

/** The advisory's own rating: GHSA's `database_specific.severity`, or an `Ubuntu` severity entry. */
function advisorySeverity(record: OsvRecord): string | undefined {
  const ubuntu = record.severity?.find((s) => s.type === 'Ubuntu')?.score;
  return stringField(record.database_specific, ['severity']) ?? (ubuntu?.trim() || undefined);
}

/**
 * Maps a record. `upstream` ids join `aliases`: a DEBIAN-CVE/UBUNTU-CVE/ALPINE-CVE record names
 * its CVE only there, and the CVE is how NVD scores, EPSS and KEV attach to a finding.
 */
export function toAdvisory(record: OsvRecord, report: (message: string) => void): AdvisoryRecord {
  const affected = record.affected ?? [];
  const distro = affected.length > 0 && affected.every((a) => isDistroEcosystem(a.package.ecosystem));
  const aliases = [...new Set([...(record.aliases ?? []), ...(record.upstream ?? [])])].filter(
    (a) => a !== record.id,
  );
  const out: AdvisoryRecord = {
    feed: OSV_FEED,
    id: record.id,
    aliases,
    references: referencesOf(record),
    cvss: cvssOf(record, distro ? 'distro' : 'advisory', report),
    // A withdrawn record stays searchable but must never match: no affected entries.
    affected: record.withdrawn ? [] : affected.flatMap((a) => affectedOf(a, report) ?? []),
  };
  if (record.related && record.related.length > 0) out.related = [...record.related];
  if (record.summary) out.summary = record.summary;
  if (record.details) out.details = record.details;
  if (record.published) out.published = record.published;
  out.modified = record.modified;
  if (record.withdrawn) out.withdrawn = record.withdrawn;
  const vendor = advisorySeverity(record);
  if (vendor !== undefined) out.vendorSeverity = vendor;
  return out;
}
