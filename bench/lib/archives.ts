/**
 * The benchmark images as docker-archive files (what `docker save` writes), converted once from
 * their OCI layouts with skopeo into bench/out/<name>.docker.tar.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchImage, OUT } from './fixtures.js';

export type BenchImageName = 'debian' | 'big' | 'apps';

export async function benchArchive(which: BenchImageName): Promise<string> {
  const archive = join(OUT, `${which}.docker.tar`);
  if (existsSync(archive)) return archive;
  const layout = await benchImage(which);
  // Written aside and renamed: an interrupted copy never passes for a finished archive.
  const tmp = `${archive}.tmp`;
  rmSync(tmp, { force: true });
  execFileSync('skopeo', [
    'copy',
    '-q',
    `oci:${layout}:latest`,
    `docker-archive:${tmp}:bench/${which}:latest`,
  ]);
  renameSync(tmp, archive);
  return archive;
}
