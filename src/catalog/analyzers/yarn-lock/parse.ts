/**
 * `yarn.lock` → registry packages, for both formats: yarn berry (2+) writes YAML with a
 * `__metadata` block; yarn v1 writes its own YAML-like format (parse-v1.ts). Pure: bytes in,
 * entries and located problems out, never a throw.
 */
import type { IssueCode } from '../../../model/issue.js';
import { describeLineProblem, splitLines } from '../../text-lines.js';
import { readKeyValue, unquote } from '../pnpm-lock/yaml-lines.js';
import { parseYarnV1 } from './parse-v1.js';

export const MAX_LOCK_BYTES = 64 * 1024 * 1024;

export interface YarnEntry {
  name: string;
  version: string;
  line?: number;
}

export interface LockProblem {
  line?: number;
  code: IssueCode;
  message: string;
}

export interface ParsedYarnLock {
  format: 'v1' | 'berry';
  entries: YarnEntry[];
  problems: LockProblem[];
}

export function parseYarnLock(bytes: Buffer): ParsedYarnLock {
  if (bytes.length > MAX_LOCK_BYTES) {
    const message = `${bytes.length} bytes, over the ${MAX_LOCK_BYTES}-byte limit; not read`;
    return { format: 'v1', entries: [], problems: [{ code: 'too-many-records', message }] };
  }
  // Berry's first key; v1 files never have it (their keys are package descriptors).
  if (isBerry(bytes)) return { format: 'berry', ...parseBerry(bytes) };
  return { format: 'v1', ...parseYarnV1(bytes) };
}

/** A line starting `__metadata:` (searched in the bytes: no string copy of a large file). */
function isBerry(bytes: Buffer): boolean {
  for (let at = bytes.indexOf('__metadata:'); at !== -1; at = bytes.indexOf('__metadata:', at + 1)) {
    if (at === 0 || bytes[at - 1] === 0x0a) return true;
  }
  return false;
}

/**
 * The package a descriptor or resolution names: `name@range`, `@scope/name@range`, and
 * aliases `alias@npm:real@range` (the real package). `registry` is false for `file:`, `link:`,
 * `workspace:`, `patch:`, git and URL ranges: those are not packages of the npm registry.
 */
export function nameOfDescriptor(descriptor: string): { name: string; registry: boolean } | undefined {
  const at = descriptor.indexOf('@', 1);
  if (at <= 0) return undefined;
  const name = descriptor.slice(0, at);
  const range = descriptor.slice(at + 1);
  if (range.startsWith('npm:')) {
    const target = range.slice(4);
    const aliasAt = target.indexOf('@', 1);
    // `npm:1.2.3` (berry) is the package itself; `npm:real@range` is an alias.
    if (aliasAt > 0) return { name: target.slice(0, aliasAt), registry: true };
    return { name, registry: !target.includes('/') };
  }
  return { name, registry: !range.includes(':') && !range.includes('/') };
}

/**
 * Berry's YAML, read line by line (the block subset its `syml` writer emits; see
 * ../pnpm-lock/yaml-lines.ts): a top-level key per package, its `resolution:` two spaces in.
 */
function parseBerry(bytes: Buffer): { entries: YarnEntry[]; problems: LockProblem[] } {
  const problems: LockProblem[] = [];
  const entries: YarnEntry[] = [];
  let block: { line: number; key: string; resolution?: string } | undefined;
  const finish = (): void => {
    if (!block) return;
    const { line, key, resolution } = block;
    block = undefined;
    if (resolution === undefined) {
      problems.push({ line, code: 'missing-field', message: `${key.slice(0, 200)}: no resolution` });
      return;
    }
    const target = nameOfDescriptor(resolution);
    const at = resolution.indexOf('@npm:', 1);
    if (!target?.registry || at === -1) return; // workspace, patch, link, git, URL
    // The resolution holds the version as a string; `version:` is a YAML scalar (could read as a number).
    entries.push({ name: target.name, version: resolution.slice(at + 5), line });
  };
  for (const line of splitLines(bytes)) {
    if (line.problem)
      problems.push({ line: line.number, code: line.problem, message: describeLineProblem(line.problem) });
    if (line.problem && line.problem !== 'invalid-utf8') continue;
    const trimmed = line.text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const entry = readKeyValue(line.text);
    if (!entry) {
      if (!line.text.startsWith(' ')) {
        problems.push({ line: line.number, code: 'malformed-record', message: 'not a "key: value" line' });
      }
      continue;
    }
    if (entry.indent === 0) {
      finish();
      if (entry.key !== '__metadata') block = { line: line.number, key: entry.key };
      if (block && entry.value !== '') {
        problems.push({
          line: line.number,
          code: 'malformed-record',
          message: `${entry.key.slice(0, 200)}: not a block`,
        });
        block = undefined;
      }
    } else if (block && entry.indent === 2 && entry.key === 'resolution') {
      block.resolution = unquote(entry.value);
    }
  }
  finish();
  return { entries, problems };
}
