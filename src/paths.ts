import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** `$XDG_CACHE_HOME/assay` or `~/.cache/assay`. */
export function assayCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'assay');
}

/** The vulnerability DB directory (DB file + metadata). */
export function defaultDbDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(assayCacheRoot(env), 'db');
}

/** The layer cache is the DB directory's sibling `cache`, so one `-p` moves both. */
export function cacheDirFor(dbDir: string): string {
  return join(dirname(resolve(dbDir)), 'cache');
}
