/**
 * The built `assay` command for benches that time it in a child process (so startup, module
 * loading and peak RSS count as a user sees them). `bin/assay` runs dist/: rebuilt here when a
 * source file is newer than the build, so a bench never times stale code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const BUILT = join(ROOT, 'dist', 'cli', 'bin.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'testdata' && e.name !== 'testing') newest = Math.max(newest, newestSource(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

let checked = false;

/** `node bin/assay`, after `npm run build` when dist/ is older than src/. */
export function assayCommand(): string {
  if (!checked) {
    checked = true;
    const stale = !existsSync(BUILT) || statSync(BUILT).mtimeMs < newestSource(join(ROOT, 'src'));
    if (stale) {
      process.stderr.write('[bench] dist/ is older than src/: npm run build\n');
      try {
        execFileSync('npm', ['run', 'build', '--silent'], {
          cwd: ROOT,
          stdio: ['ignore', 'ignore', 'inherit'],
        });
      } catch {
        // tsc still emits on type errors; what matters is that dist/ now runs the current code.
        process.stderr.write('[bench] npm run build reported errors; benchmarking what it emitted\n');
      }
    }
  }
  return `${process.execPath} ${join(ROOT, 'bin', 'assay')}`;
}
