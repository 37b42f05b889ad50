/**
 * What the three lock-file parsers return: pinned name/version pairs plus located problems.
 * Kept apart from the parsers so each stays a pure function of bytes with one output shape.
 */
import { isUtf8 } from 'node:buffer';
import type { IssueCode } from '../../../model/issue.js';

export interface LockRecord {
  /** As written in the file. */
  name: string;
  version: string;
  /** 1-based, where the format lets us know it. */
  line?: number;
}

export interface LockProblem {
  code: IssueCode;
  message: string;
  line?: number;
}

export interface ParsedLock {
  records: LockRecord[];
  problems: LockProblem[];
}

export { PYTHON_NAME } from '../python-dist-info/package.js';

/** A JSON object or TOML table (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A whole-document format (TOML, JSON) as text: invalid UTF-8 is reported and decoded with
 * U+FFFD (the parser may still succeed), NUL bytes are reported (no lock file has them).
 */
export function decodeDocument(bytes: Buffer, problems: LockProblem[]): string {
  if (bytes.indexOf(0) !== -1) problems.push({ code: 'binary-content', message: 'NUL bytes in a text file' });
  if (!isUtf8(bytes))
    problems.push({ code: 'invalid-utf8', message: 'invalid UTF-8 (read with replacement characters)' });
  return bytes.toString('utf8');
}
