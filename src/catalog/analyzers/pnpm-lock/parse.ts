/**
 * `pnpm-lock.yaml` → registry packages (https://github.com/pnpm/spec/tree/master/lockfile and
 * the files pnpm 7, 8 and 9 write). The `packages` map is keyed by package id:
 * - lockfile 5.x (pnpm 7): `/name/1.2.3`, `/@scope/name/1.2.3`, peers after `_`
 *   (`/a/1.0.0_react@18.2.0`);
 * - 6.x (pnpm 8): `/name@1.2.3`, peers in parentheses (`/@s/n@1.0.0(react@18.2.0)`);
 * - 9.x (pnpm 9): `name@1.2.3`, `@s/n@1.0.0`, peers only in `snapshots` (not read).
 * Ids whose version part is a URL, path or protocol (`file:`, `link:`, git hosts, tarballs) are
 * not registry packages and are skipped. Pure: bytes in, entries and problems out; no throw.
 * Read line by line (yaml-lines.ts): pnpm writes block-style YAML with one entry per key line.
 */
import type { IssueCode } from '../../../model/issue.js';
import { describeLineProblem, splitLines } from '../../text-lines.js';
import { readKeyValue, unquote } from './yaml-lines.js';

export const MAX_LOCK_BYTES = 64 * 1024 * 1024;

export interface PnpmEntry {
  name: string;
  version: string;
}

export interface LockProblem {
  line?: number;
  code: IssueCode;
  message: string;
}

/** One pass over the lines: `lockfileVersion`, then the keys one level inside `packages:`. */
export function parsePnpmLock(bytes: Buffer): { entries: PnpmEntry[]; problems: LockProblem[] } {
  if (bytes.length > MAX_LOCK_BYTES) {
    const message = `${bytes.length} bytes, over the ${MAX_LOCK_BYTES}-byte limit; not read`;
    return { entries: [], problems: [{ code: 'too-many-records', message }] };
  }
  const problems: LockProblem[] = [];
  const ids: Array<{ key: string; line: number }> = [];
  let lockfileVersion: string | undefined;
  let section: string | undefined;
  let entryIndent: number | undefined;
  for (const line of splitLines(bytes)) {
    if (line.problem)
      problems.push({ line: line.number, code: line.problem, message: describeLineProblem(line.problem) });
    if (line.problem && line.problem !== 'invalid-utf8') continue;
    const text = line.text;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const entry = readKeyValue(text);
    if (!entry) {
      if (section === 'packages' || !text.startsWith(' ')) {
        problems.push({ line: line.number, code: 'malformed-record', message: 'not a "key: value" line' });
      }
      continue;
    }
    if (entry.indent === 0) {
      section = entry.key;
      if (entry.key === 'lockfileVersion') lockfileVersion = unquote(entry.value);
      if (entry.key === 'packages' && entry.value !== '' && entry.value !== '{}') {
        const message = '"packages" is not a block mapping (not what pnpm writes); not read';
        problems.push({ line: line.number, code: 'invalid-field', message });
      }
      continue;
    }
    if (section !== 'packages') continue;
    entryIndent ??= entry.indent;
    if (entry.indent === entryIndent) ids.push({ key: entry.key, line: line.number });
  }
  const slashStyle = isSlashStyle(lockfileVersion);
  const entries: PnpmEntry[] = [];
  for (const { key, line } of ids) {
    const id = splitPackageId(key, slashStyle);
    if (id === 'non-registry') continue;
    if (!id) {
      problems.push({
        line,
        code: 'invalid-field',
        message: `unreadable package id ${JSON.stringify(key.slice(0, 200))}`,
      });
    } else entries.push(id);
  }
  return { entries, problems };
}

/** Lock files before 6.0 separate name and version with `/`; `lockfileVersion` is a number there. */
function isSlashStyle(version: string | undefined): boolean {
  const major = Number.parseFloat(version ?? '');
  return Number.isFinite(major) && major < 6;
}

/** A package id → name and version; `non-registry` for ids that are not `name@version`. */
export function splitPackageId(key: string, slashStyle: boolean): PnpmEntry | 'non-registry' | undefined {
  let id = key.startsWith('/') ? key.slice(1) : key;
  const paren = id.indexOf('(');
  if (paren !== -1) id = id.slice(0, paren);
  let name: string;
  let version: string;
  if (slashStyle) {
    const slash = id.lastIndexOf('/');
    if (slash <= 0) return id.includes(':') ? 'non-registry' : undefined;
    name = id.slice(0, slash);
    version = id.slice(slash + 1);
    const underscore = version.indexOf('_');
    if (underscore !== -1) version = version.slice(0, underscore);
  } else {
    const at = id.indexOf('@', 1);
    if (at <= 0) return id.includes(':') || id.includes('/') ? 'non-registry' : undefined;
    name = id.slice(0, at);
    version = id.slice(at + 1);
  }
  // Registry versions start with a digit (semver); anything else is a tarball, git or path spec,
  // or a custom-registry host (`registry.example.com/a/1.0.0` has a `.` in its first segment).
  if (!/^\d/.test(version) || version.includes(':') || version.includes('/')) return 'non-registry';
  if (name.includes(':') || (!name.startsWith('@') && name.includes('/'))) return 'non-registry';
  return { name, version };
}
