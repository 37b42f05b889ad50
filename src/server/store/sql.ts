/**
 * The one seam between the store and its two engines (PostgreSQL through `pg`, embedded PGlite):
 * both speak the same SQL, so repositories are written once against this interface.
 */
export type SqlValue = string | number | boolean | null | Date | readonly string[] | readonly number[];

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Sql {
  query<T>(text: string, params?: readonly SqlValue[]): Promise<SqlResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /** Runs `fn` in one transaction; nested calls join the outer one. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The database cannot be reached right now; the API answers 503 and retries on the next request. */
export class StoreUnavailableError extends Error {
  readonly code = 'store-unavailable';
  constructor(cause: unknown) {
    super('the database is unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

// SQLSTATE classes that mean "no usable connection" rather than a bad statement:
// 08 connection exception, 57P0x operator intervention (shutdown, cannot connect now), 53300 too
// many connections, 55000 with ALLOW_CONNECTIONS off. https://www.postgresql.org/docs/current/errcodes-appendix.html
const UNAVAILABLE_CODES = /^(08|57P0|53300$)/;
const UNAVAILABLE_MESSAGES =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection timeout|timeout exceeded when trying to connect|after calling end on the pool|not currently accepting connections|PGlite is closed/i;

export function isUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  if (!(err instanceof Error)) return false;
  const code = 'code' in err && typeof err.code === 'string' ? err.code : '';
  return UNAVAILABLE_CODES.test(code) || UNAVAILABLE_MESSAGES.test(err.message);
}

/** Rethrows connection failures as StoreUnavailableError so the HTTP layer can map them to 503. */
export function classify(err: unknown): unknown {
  return isUnavailable(err) && !(err instanceof StoreUnavailableError) ? new StoreUnavailableError(err) : err;
}
