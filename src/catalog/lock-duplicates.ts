/**
 * A project directory often holds both a lock file and what was installed from it (`app/
 * package-lock.json` and `app/node_modules/**`, `Gemfile.lock` and the gem specs, `composer.lock`
 * and `vendor/composer/installed.json`). Both are read, because an image may carry only one of
 * them; but a package reported from the installed files must not be reported again from the
 * lock file beside it, or every count and every finding doubles.
 */
import type { Package } from '../model/package.js';

const LOCK_FILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'poetry.lock',
  'Pipfile.lock',
  'Gemfile.lock',
  'gems.locked',
  'composer.lock',
  'Cargo.lock',
  'packages.lock.json',
]);

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function isLockFile(path: string): boolean {
  const name = basename(path);
  return LOCK_FILES.has(name) || /^requirements.*\.txt$/.test(name);
}

const identity = (p: Package) => `${p.type}\u0000${p.name}\u0000${p.version}`;

/** Drops lock-file packages that an installed-package file under the same directory also reports. */
export function dropLockDuplicates(packages: readonly Package[]): Package[] {
  const installedDirs = new Map<string, string[]>();
  for (const p of packages) {
    const path = p.locations[0]?.path ?? '';
    if (isLockFile(path)) continue;
    const list = installedDirs.get(identity(p)) ?? [];
    list.push(path);
    installedDirs.set(identity(p), list);
  }
  return packages.filter((p) => {
    const path = p.locations[0]?.path ?? '';
    if (!isLockFile(path)) return true;
    const dir = dirname(path);
    const prefix = dir === '' ? '' : `${dir}/`;
    return !(installedDirs.get(identity(p)) ?? []).some((installed) => installed.startsWith(prefix));
  });
}
