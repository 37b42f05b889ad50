/**
 * npm's lock files, `package-lock.json` and `npm-shrinkwrap.json`
 * (https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json):
 * - v2 and v3: `packages`, keyed by install path (`node_modules/a`, `node_modules/a/node_modules/@s/b`);
 *   `""` is the project itself, keys without `node_modules/` are workspace folders, `link: true`
 *   entries point at a folder (reported where the folder's own entry is, if at all). `name` is set
 *   when it differs from the folder (aliases). v3 also carries `license`.
 * - v1 (and v2 read by an old npm): `dependencies`, nested by install tree; `version` is the
 *   version, `npm:real@1.2.3` for an alias, or a URL/path for git, tarball and file deps.
 * Only registry-style versions are reported; the same name@version listed at several paths is
 * one package. Pure: JSON value in, entries and issues out; bounded in depth and count.
 */
import type { IssueList } from '../../issue-list.js';
import { asRecord, isNpmName, isReportableVersion, licensesOf } from '../npm-package-json/package.js';

export interface LockEntry {
  name: string;
  version: string;
  licenses: string[];
}

export const MAX_ENTRIES = 200_000;
export const MAX_V1_DEPTH = 128;
const NODE_MODULES = 'node_modules/';

export function readNpmLock(json: unknown, issues: IssueList): LockEntry[] {
  const doc = asRecord(json);
  if (!doc) {
    issues.add('malformed-record', 'not a JSON object');
    return [];
  }
  const out = new Collector(issues);
  const packages = asRecord(doc.packages);
  if (packages) readPackages(packages, out);
  else if (doc.packages !== undefined) issues.add('invalid-field', '"packages" is not an object');
  else {
    const deps = asRecord(doc.dependencies);
    if (deps) readDependencies(deps, out, 1);
    else if (doc.dependencies !== undefined) issues.add('invalid-field', '"dependencies" is not an object');
  }
  return out.entries;
}

class Collector {
  readonly entries: LockEntry[] = [];
  private readonly seen = new Set<string>();
  private full = false;
  constructor(readonly issues: IssueList) {}

  add(name: string, version: string, licenses: string[], where: string): void {
    if (!isNpmName(name)) {
      this.issues.add('invalid-field', `${where}: ${JSON.stringify(name.slice(0, 100))} is not an npm name`);
      return;
    }
    if (!isReportableVersion(version)) {
      this.issues.add('invalid-field', `${where}: version ${JSON.stringify(version.slice(0, 100))} unusable`);
      return;
    }
    const key = `${name}@${version}`;
    if (this.seen.has(key)) return;
    if (this.entries.length >= MAX_ENTRIES) {
      if (!this.full) this.issues.add('too-many-records', `more than ${MAX_ENTRIES} packages; rest ignored`);
      this.full = true;
      return;
    }
    this.seen.add(key);
    this.entries.push({ name, version, licenses });
  }
}

function readPackages(packages: Record<string, unknown>, out: Collector): void {
  for (const [key, value] of Object.entries(packages)) {
    const at = key.lastIndexOf(NODE_MODULES);
    if (key === '' || at === -1) continue; // the project and its workspace folders
    const entry = asRecord(value);
    if (!entry) {
      out.issues.add('malformed-record', `packages[${JSON.stringify(key.slice(0, 200))}] is not an object`);
      continue;
    }
    if (entry.link === true) continue;
    const name = typeof entry.name === 'string' ? entry.name : key.slice(at + NODE_MODULES.length);
    if (typeof entry.version !== 'string') {
      out.issues.add('missing-field', `${key.slice(0, 200)}: no "version"`);
      continue;
    }
    const version = entry.version;
    if (isNonRegistry(version)) continue;
    out.add(name, version, licensesOf(entry.license, entry.licenses), key.slice(0, 200));
  }
}

function readDependencies(deps: Record<string, unknown>, out: Collector, depth: number): void {
  if (depth > MAX_V1_DEPTH) {
    out.issues.add(
      'too-many-records',
      `dependencies nested deeper than ${MAX_V1_DEPTH}; deeper ones ignored`,
    );
    return;
  }
  for (const [key, value] of Object.entries(deps)) {
    const entry = asRecord(value);
    if (!entry) {
      out.issues.add(
        'malformed-record',
        `dependencies[${JSON.stringify(key.slice(0, 200))}] is not an object`,
      );
      continue;
    }
    const version = entry.version;
    if (typeof version !== 'string') out.issues.add('missing-field', `${key.slice(0, 200)}: no "version"`);
    else if (version.startsWith('npm:')) {
      // An alias: `"version": "npm:string-width@4.2.3"`.
      const spec = version.slice(4);
      const at = spec.lastIndexOf('@');
      if (at > 0) out.add(spec.slice(0, at), spec.slice(at + 1), [], key.slice(0, 200));
      else
        out.issues.add('invalid-field', `${key.slice(0, 200)}: alias ${JSON.stringify(version)} unreadable`);
    } else if (!isNonRegistry(version)) out.add(key, version, [], key.slice(0, 200));
    const nested = asRecord(entry.dependencies);
    if (nested) readDependencies(nested, out, depth + 1);
  }
}

/** git, tarball, file and link versions: the folder's own version is elsewhere, or none. */
function isNonRegistry(version: string): boolean {
  return version.includes(':') || version.includes('/');
}
