/**
 * One error type for the whole code base. `code` is stable and is what callers and tests
 * match on; `message` is for humans and carries context ("layer 3 (sha256:ab…): …");
 * the original error travels as `cause`.
 */
export type ErrorCode =
  | 'usage'
  | 'invalid-reference'
  | 'invalid-version'
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'network'
  | 'timeout'
  | 'rate-limited'
  | 'registry'
  | 'digest-mismatch'
  | 'platform-not-found'
  | 'unsupported-media-type'
  | 'not-an-image'
  | 'corrupt-archive'
  | 'corrupt-layer'
  | 'unsafe-path'
  | 'too-large'
  | 'engine'
  | 'cache'
  /** A feed, SBOM, ignore file or other document with the wrong format or shape. */
  | 'invalid-input'
  /** The vulnerability DB is missing, corrupt or of an incompatible schema. */
  | 'database'
  | 'aborted'
  /** A local file could not be written or read: disk full, file size limit, permissions. */
  | 'io'
  | 'internal';

const DISK_FULL = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);

/** An AssayError 'io' for a failed local write, saying what to do when the disk is the cause. */
export function ioError(what: string, err: unknown): AssayError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  const hint = DISK_FULL.has(code) ? ' (the disk is full or a file size limit was reached)' : '';
  return new AssayError('io', `${what}: ${errorMessage(err)}${hint}`, { cause: err });
}

export class AssayError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AssayError';
    this.code = code;
  }
}

export function isAssayError(err: unknown, code?: ErrorCode): err is AssayError {
  return err instanceof AssayError && (code === undefined || err.code === code);
}

/** A printable message for anything thrown, without assuming it is an Error. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/**
 * Re-throw `err` with context prepended, keeping its code when it already is an AssayError
 * (so "not found" stays "not found" however deep it came from).
 */
export function wrapError(err: unknown, context: string, fallback: ErrorCode = 'internal'): AssayError {
  if (err instanceof AssayError)
    return new AssayError(err.code, `${context}: ${err.message}`, { cause: err });
  if (isAbort(err)) return new AssayError('aborted', `${context}: aborted`, { cause: err });
  return new AssayError(fallback, `${context}: ${errorMessage(err)}`, { cause: err });
}

function isAbort(err: unknown): boolean {
  return (
    err instanceof Error && (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR')
  );
}
