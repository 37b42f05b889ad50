/**
 * Whether an input looks like OSV, conservatively: OSV is the most general format, so it must
 * not claim the others' files (NVD API pages, CVE JSON 5 records, KEV, the Debian tracker,
 * Alpine secdb), which the registry asks first anyway.
 */
import { isZipPath } from './inputs.js';

/** Markers of the other feeds' JSON, any of which rules OSV out. */
const OTHER_FORMATS = [
  '"CVE_RECORD"', // CVE JSON 5 `dataType`
  '"cveMetadata"',
  '"NVD_CVE"', // NVD API 2.0 `format`
  '"resultsPerPage"',
  '"catalogVersion"', // KEV
  '"cveID"',
  '"distroversion"', // Alpine secdb
  '"secfixes"',
];

/**
 * An OSV id's file name: a prefix (`GHSA`, `GO`, `PYSEC`, `RUSTSEC`, `DSA`, `ALSA`…), a dash,
 * the rest. Bare `CVE-…` names are left to the NVD and CVE JSON 5 importers, whose archives use
 * them.
 */
const OSV_ENTRY = /^(?!CVE-)[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]*\.json$/;

function looksLikeOsvZip(head: string): boolean {
  const names = head
    .split('\n')
    .map((n) => n.trim())
    .filter((n) => n !== '' && !n.endsWith('/'));
  if (names.length === 0) return false;
  const files = names.map((n) => n.slice(n.lastIndexOf('/') + 1));
  return files.every((f) => f.toLowerCase().endsWith('.json')) && files.some((f) => OSV_ENTRY.test(f));
}

function looksLikeOsvJson(head: string): boolean {
  if (!/^\s*\{/.test(head)) return false;
  if (OTHER_FORMATS.some((m) => head.includes(m))) return false;
  return /"id"\s*:/.test(head) && /"(schema_version|affected|modified)"\s*:/.test(head);
}

export function detectOsv(head: string, path: string): boolean {
  if (path.endsWith('/')) return true;
  if (isZipPath(path)) return looksLikeOsvZip(head);
  return looksLikeOsvJson(head);
}
