/**
 * PGlite is a single-process database: two processes opening one data directory would corrupt it.
 * Whoever opens it holds `assay.lock` (its pid); a lock whose process is gone is taken over.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AssayError } from '../model/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
}

async function holder(path: string): Promise<number | undefined> {
  const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  // Our own pid counts as in use too: one process must not open the directory twice either.
  return Number.isInteger(pid) && pid > 0 && (pid === process.pid || alive(pid)) ? pid : undefined;
}

/** Takes the lock or throws naming the process that holds it; returns the release function. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, 'assay.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return async () => void (await unlink(path).catch(() => {}));
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
      const pid = await holder(path);
      if (pid !== undefined)
        throw new AssayError(
          'usage',
          `the data directory ${dataDir} is in use by process ${pid} (an assay server?): stop it, or use its API (POST /api/v1/tokens)`,
        );
      await unlink(path).catch(() => {}); // stale: its process is gone
    }
  }
  throw new AssayError('usage', `could not lock the data directory ${dataDir}`);
}
