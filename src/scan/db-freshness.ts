/**
 * Before a scan: when a DB repository is configured and the local DB is missing or older than
 * the allowed age, pull a fresh one (issue 12). A failed update never costs the scan an existing
 * DB: it scans with the old one and says how old it is; only with no DB at all is it an error.
 */
import { existsSync } from 'node:fs';
import { AssayError, errorMessage } from '../model/errors.js';
import { pullDb } from '../vulndb/distribution/pull.js';
import type { DbRepository, PullOptions, PullOutcome } from '../vulndb/distribution/types.js';
import { dbFilePath, VulnDb } from '../vulndb/store.js';

export interface FreshnessOptions {
  repositories: readonly DbRepository[];
  /** The DB may be this old (hours since its build) before a scan updates it. */
  maxAgeHours: number;
  pull: PullOptions;
  now?: number;
}

export type FreshnessResult =
  | { action: 'fresh'; ageHours: number }
  | { action: 'pulled'; outcome: PullOutcome; reason: string }
  /** The update failed; the scan goes on with the DB in place. */
  | { action: 'kept-old'; reason: string; error: string; ageHours: number | undefined };

const HOUR_MS = 3_600_000;

/** Hours since the DB's build; undefined when it states none or cannot be opened. */
export function dbAgeHours(dbDir: string, now = Date.now()): number | undefined {
  let builtAt: string | undefined;
  try {
    const db = VulnDb.open(dbDir);
    try {
      builtAt = db.info().builtAt;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
  const t = builtAt ? Date.parse(builtAt) : Number.NaN;
  return Number.isFinite(t) ? Math.max(0, (now - t) / HOUR_MS) : undefined;
}

export async function ensureFreshDb(opts: FreshnessOptions): Promise<FreshnessResult> {
  const dir = opts.pull.dbDir;
  const present = existsSync(dbFilePath(dir));
  const age = present ? dbAgeHours(dir, opts.now) : undefined;
  if (age !== undefined && age <= opts.maxAgeHours) return { action: 'fresh', ageHours: age };
  const reason = !present
    ? `no DB at ${dir}`
    : age === undefined
      ? `the DB at ${dir} cannot be read or states no build time`
      : `the DB is ${age.toFixed(1)} h old (limit ${opts.maxAgeHours} h)`;
  try {
    return { action: 'pulled', outcome: await pullDb(opts.repositories, opts.pull), reason };
  } catch (err) {
    if (!present || opts.pull.signal?.aborted)
      throw new AssayError(
        isAbort(err) ? 'aborted' : 'database',
        `${reason} and none could be pulled: ${errorMessage(err)}`,
        { cause: err },
      );
    return { action: 'kept-old', reason, error: errorMessage(err), ageHours: age };
  }
}

function isAbort(err: unknown): boolean {
  return err instanceof AssayError && err.code === 'aborted';
}
