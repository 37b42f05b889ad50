/**
 * One writer per DB directory: `<dir>/.build.lock`, created exclusively and holding the
 * writer's pid. Two builds would each copy the DB, and the second rename would silently drop
 * the first build's data; the lock turns that into a clear error. A lock left by a process that
 * died (its pid no longer exists) is taken over.
 */
import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssayError, errorMessage } from '../model/errors.js';

export const LOCK_FILE = '.build.lock';

export interface BuildLock {
  path: string;
  release(): void;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A lock file without a pid for this long was left by a writer that died while creating it. */
const EMPTY_LOCK_STALE_MS = 60_000;

function emptyForLong(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > EMPTY_LOCK_STALE_MS;
  } catch {
    return true;
  }
}

export function acquireBuildLock(dir: string): BuildLock {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      let held = true;
      return {
        path,
        release: () => {
          if (!held) return;
          held = false;
          try {
            unlinkSync(path);
          } catch {
            // Already gone (removed by hand): nothing to release.
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new AssayError('database', `cannot create the lock ${path}: ${errorMessage(err)}`, {
          cause: err,
        });
    }
    const owner = lockOwner(path);
    // A lock being written right now has no pid yet: held, unless it has stayed empty too long.
    if (owner === undefined ? !emptyForLong(path) : pidAlive(owner))
      throw new AssayError(
        'database',
        `another db update/import is running (lock ${path}, pid ${owner ?? 'unknown'})`,
      );
    try {
      unlinkSync(path);
    } catch {
      // Another process took the stale lock over first; the next attempt sees its pid.
    }
  }
  throw new AssayError('database', `another db update/import is running (lock ${path})`);
}
