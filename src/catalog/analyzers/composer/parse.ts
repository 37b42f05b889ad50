/**
 * Composer's package lists, both JSON:
 * - `vendor/composer/installed.json`, what `composer install` put in `vendor/`: Composer 2 writes
 *   `{"packages": [...], "dev": bool, "dev-package-names": [...]}`, Composer 1 a bare array
 *   (https://getcomposer.org/doc/07-runtime.md#installed-versions;
 *   https://github.com/composer/composer/blob/main/src/Composer/Repository/FilesystemRepository.php);
 * - `composer.lock`, what `composer install` would install: `packages` and `packages-dev`
 *   (https://getcomposer.org/doc/01-basic-usage.md#commit-your-composer-lock-file-to-version-control).
 * Every entry has `name` (`vendor/package`) and `version` as written by Composer (`v6.5.7.3`,
 * `3.0.210`, `dev-main`), and `license`: an array of SPDX identifiers (a string in old files).
 * Pure: JSON.parse (V8's is iterative, so deep nesting costs time, not stack) and one walk over
 * the known shape; entries with a wrong shape are problems, the others are still returned.
 */
import { isUtf8 } from 'node:buffer';

export type ComposerFileKind = 'installed' | 'lock';

export interface ComposerRecord {
  name: string;
  version: string;
  licenses: string[];
  /** Where it was listed, for messages: `packages[3]`, `packages-dev[0]`, `[5]`. */
  at: string;
}

export interface ComposerProblem {
  code: 'invalid-utf8' | 'malformed-record' | 'missing-field' | 'invalid-field';
  message: string;
}

export function parseComposerFile(
  bytes: Buffer,
  kind: ComposerFileKind,
): { records: ComposerRecord[]; problems: ComposerProblem[] } {
  const problems: ComposerProblem[] = [];
  if (!isUtf8(bytes))
    problems.push({ code: 'invalid-utf8', message: 'invalid UTF-8 (read with replacement characters)' });
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    problems.push({
      code: 'malformed-record',
      message: `not JSON: ${err instanceof Error ? err.message : String(err)}`,
    });
    return { records: [], problems };
  }
  const lists = listsOf(document, kind);
  if (lists.length === 0) {
    const expected = kind === 'lock' ? 'an object with "packages"' : 'an array or an object with "packages"';
    problems.push({ code: 'malformed-record', message: `expected ${expected}; nothing read` });
  }
  const records: ComposerRecord[] = [];
  for (const [label, list] of lists) {
    list.forEach((entry, index) => {
      const at = `${label}[${index}]`;
      const record = readEntry(entry, at, problems);
      if (record) records.push(record);
    });
  }
  return { records, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listsOf(document: unknown, kind: ComposerFileKind): Array<[string, unknown[]]> {
  if (kind === 'installed' && Array.isArray(document)) return [['', document]];
  if (!isObject(document)) return [];
  const keys = kind === 'lock' ? ['packages', 'packages-dev'] : ['packages'];
  const lists: Array<[string, unknown[]]> = [];
  for (const key of keys) {
    const value = document[key];
    if (Array.isArray(value)) lists.push([key, value]);
  }
  return lists;
}

function readEntry(entry: unknown, at: string, problems: ComposerProblem[]): ComposerRecord | undefined {
  if (!isObject(entry)) {
    problems.push({ code: 'malformed-record', message: `${at} is not an object; skipped` });
    return undefined;
  }
  const { name, version } = entry;
  if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') {
    const missing = typeof name === 'string' && name !== '' ? `${name}: version` : 'name';
    problems.push({ code: 'missing-field', message: `${at}: no ${missing}; skipped` });
    return undefined;
  }
  if (!/^[^/\s]+\/[^/\s]+$/.test(name)) {
    problems.push({
      code: 'invalid-field',
      message: `${at}: name ${JSON.stringify(name)} is not vendor/package; skipped`,
    });
    return undefined;
  }
  return { name, version, licenses: licensesOf(entry.license, at, problems), at };
}

function licensesOf(value: unknown, at: string, problems: ComposerProblem[]): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value) && value.every((l) => typeof l === 'string')) return value.filter((l) => l !== '');
  problems.push({
    code: 'invalid-field',
    message: `${at}: license is not a string or a list of strings; ignored`,
  });
  return [];
}
