/**
 * What the pure rpmdb parsers report instead of throwing: problems located by byte offset and
 * record key, with the model's issue codes so the analyzer only has to add the file and layer.
 * Inside a parser, a bounds or consistency failure throws `RpmDbFormatError`; the loop over
 * records catches it, turns it into a problem and goes on with the next record, so one bad
 * record never costs the others (STYLE.md principle 6).
 */
import type { IssueCode } from '../../../model/issue.js';

export interface RpmDbProblem {
  code: IssueCode;
  /** Human text with its context (record key, offsets), without the file path. */
  message: string;
  /** Byte offset in the database file, where one applies. */
  offset?: number;
  /** The record's key: SQLite `hnum`, NDB package index, BerkeleyDB key. */
  key?: number;
  cause?: unknown;
}

export class RpmDbFormatError extends Error {
  readonly code: IssueCode;
  /** Byte offset in the file (or in the header blob, for header errors) where the problem is. */
  readonly offset: number | undefined;

  constructor(code: IssueCode, message: string, offset?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RpmDbFormatError';
    this.code = code;
    this.offset = offset;
  }
}

/**
 * A problem from anything thrown while reading one record: format errors keep their code and
 * offset; anything else (a bug, a native library error) becomes `corrupt-database` with the
 * original as `cause`.
 */
export function problemFrom(err: unknown, context: string, key?: number): RpmDbProblem {
  const base = key === undefined ? {} : { key };
  if (err instanceof RpmDbFormatError) {
    const offset = err.offset === undefined ? {} : { offset: err.offset };
    return { ...base, ...offset, code: err.code, message: `${context}: ${err.message}`, cause: err };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { ...base, code: 'corrupt-database', message: `${context}: ${text}`, cause: err };
}

/** `0x1a2b`: offsets and magic numbers in messages, as hex dumps show them. */
export function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/** A 32-bit magic number with all eight digits, as format specs print them (`0x00061561`). */
export function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
