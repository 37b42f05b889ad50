/**
 * The DB file on disk: its name, the temporary files beside it, and the atomic swap of a checked
 * file into place under the build lock. Kept apart from the builder (which loads every importer)
 * so a pull that finds nothing new loads none of that.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireBuildLock } from './build-lock.js';

export const DB_FILE = 'vulnerabilities.db';

export function dbFilePath(dir: string): string {
  return join(dir, DB_FILE);
}

const TEMP_PREFIX = `.${DB_FILE}.`;
const TEMP_SUFFIX = '.tmp';

/** A temporary file name in `dir` for a DB being written (removed on failure, or by the next build). */
export function tempDbPath(dir: string): string {
  return join(dir, `${TEMP_PREFIX}${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

/**
 * Moves a validated DB file (in `dir` or a directory inside it: the same file system) over the
 * DB in use under the build lock, then runs `afterSwap` still under the lock. Unlike
 * `replaceWith`, nothing is copied: no copy of the old DB, no copy of the new one (`db update
 * --from` of a ~100 MB DB). The file must already be a checked DB of this schema.
 */
export async function swapDbFile(
  dir: string,
  validatedFile: string,
  afterSwap?: () => Promise<void>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const lock = acquireBuildLock(dir);
  try {
    removeLeftovers(dir);
    fsyncPath(validatedFile);
    await rename(validatedFile, dbFilePath(dir));
    fsyncPath(dir);
    await afterSwap?.();
  } finally {
    lock.release();
  }
}

/** Temporary files of builds that crashed; only called while holding the lock. */
export function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir))
    if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) rmSync(join(dir, name), { force: true });
}

export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
