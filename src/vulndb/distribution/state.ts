/**
 * What a DB directory remembers about its last pull (`<dbDir>/repository.json`): the source,
 * its validators and digests, for the next conditional check. Losing it only costs one full
 * download, so a corrupt file is reported and treated as absent; it is written with a temporary
 * file and a rename, so a crash never leaves half a document.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../model/errors.js';
import { dbFilePath } from '../db-file.js';
import { type DbRepository, PULL_STATE_FILE, type PullState, PullStateSchema } from './types.js';

export function statePath(dbDir: string): string {
  return join(dbDir, PULL_STATE_FILE);
}

/** The repository as the user wrote it (the inverse of `parseDbRepository`, up to a trailing `/`). */
export function repositoryLabel(repo: DbRepository): string {
  if (repo.kind === 'oci') return `oci://${repo.ref}`;
  if (repo.kind === 'http') return repo.url;
  return repo.path;
}

/** The last pull's state; undefined when there is none or it is unreadable (said through `onMessage`). */
export async function readPullState(
  dbDir: string,
  onMessage?: (line: string) => void,
): Promise<PullState | undefined> {
  const path = statePath(dbDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      onMessage?.(`cannot read ${path} (${errorMessage(err)}); pulling as if for the first time`);
    return undefined;
  }
  try {
    const parsed = PullStateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: reported below like a document of the wrong shape.
  }
  onMessage?.(`${path} is corrupt; ignoring it and pulling as if for the first time`);
  return undefined;
}

export async function writePullState(dbDir: string, state: PullState): Promise<void> {
  const path = statePath(dbDir);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

export async function removePullState(dbDir: string): Promise<void> {
  await rm(statePath(dbDir), { force: true });
}

/** The identity of the DB file in `dbDir`, or undefined when it is missing. */
export async function dbFileIdentity(dbDir: string): Promise<PullState['dbFile']> {
  try {
    const s = await stat(dbFilePath(dbDir));
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch {
    return undefined;
  }
}

/**
 * The state to check against: only when the DB it describes is still the one in place (a
 * deleted DB, or one rebuilt by `db update`/`db import` since, must be downloaded again).
 */
export async function usableState(
  dbDir: string,
  onMessage?: (line: string) => void,
): Promise<PullState | undefined> {
  const state = await readPullState(dbDir, onMessage);
  if (!state) return undefined;
  const now = await dbFileIdentity(dbDir);
  if (!now) return undefined;
  const then = state.dbFile;
  if (then && (then.size !== now.size || then.mtimeMs !== now.mtimeMs || then.ino !== now.ino))
    return undefined;
  return state;
}
