/**
 * npm name + version → Package, shared by the four npm analyzers (installed package.json,
 * package-lock, yarn.lock, pnpm-lock): one place builds the purl and the id, so the same
 * package read from a lock file and from node_modules looks the same.
 *
 * purl (PURL-TYPES, npm): the scope is the namespace, `@` included and percent-encoded
 * (`pkg:npm/%40types/node@20.19.43`); name and namespace are case-sensitive (old packages such
 * as `JSONStream` keep their upper case), so nothing is lowercased.
 */
import type { Location } from '../../../model/issue.js';
import { type Package, packageId } from '../../../model/package.js';
import { formatPurl } from '../../purl.js';

/** npm's limit (validate-npm-package-name); longer names are not registry packages. */
const MAX_NAME_LENGTH = 214;
const MAX_VERSION_LENGTH = 256;

/**
 * Whether `name` can be an npm package name: optional `@scope/`, then one segment, no spaces,
 * no leading `.` or `_`, no path tricks. Legacy upper-case names are accepted.
 */
export function isNpmName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  const parts = name.split('/');
  if (name.startsWith('@')) {
    if (parts.length !== 2 || parts[0]!.length < 2) return false;
    return isSegment(parts[0]!.slice(1)) && isSegment(parts[1]!);
  }
  return parts.length === 1 && isSegment(name);
}

function isSegment(segment: string): boolean {
  // npm requires URL-safe names: what encodeURIComponent leaves alone (letters, digits, `-._~!*'()`).
  return (
    segment.length > 0 &&
    !segment.startsWith('.') &&
    !segment.startsWith('_') &&
    encodeURIComponent(segment) === segment
  );
}

/** A version worth reporting: non-empty, printable, bounded. Ranges and URLs are callers' business. */
export function isReportableVersion(version: string): boolean {
  return version.length > 0 && version.length <= MAX_VERSION_LENGTH && /^[\x21-\x7e]+$/.test(version);
}

export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  if (slash === -1) return formatPurl({ type: 'npm', name, version });
  return formatPurl({ type: 'npm', namespace: name.slice(0, slash), name: name.slice(slash + 1), version });
}

export function npmPackage(name: string, version: string, licenses: string[], location: Location): Package {
  return {
    id: packageId('npm', name, version, location.path),
    type: 'npm',
    name,
    version,
    purl: npmPurl(name, version),
    licenses,
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
  };
}

/**
 * The licences a package.json or lock entry states: `license: "MIT"` (an SPDX expression), or the
 * deprecated forms `license: {type, url}`, `licenses: [{type, url}]` and `licenses: ["MIT"]`
 * (https://docs.npmjs.com/cli/v10/configuring-npm/package-json#license). Anything else: none.
 */
export function licensesOf(license: unknown, licenses?: unknown): string[] {
  const out: string[] = [];
  const add = (value: unknown): void => {
    const text = typeof value === 'string' ? value : typeOf(value);
    if (text !== undefined && text.trim() !== '' && out.length < 16) out.push(text.trim());
  };
  add(license);
  if (Array.isArray(licenses)) for (const item of licenses.slice(0, 16)) add(item);
  else if (licenses !== undefined) add(licenses);
  return [...new Set(out)];
}

function typeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const type: unknown = (value as Record<string, unknown>).type;
  return typeof type === 'string' ? type : undefined;
}

/** `value` as a plain JSON object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
