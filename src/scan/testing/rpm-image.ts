/**
 * Test support (no tests here): REAL rpm databases, written by Debian's `rpm` 4.18 and packages
 * built by its `rpmbuild` — not bytes crafted by Assay, so the catalog reads what rpm writes.
 * Packages are noarch, hold no files and run no scriptlets: only their headers (NAME, EPOCH,
 * VERSION, RELEASE, SOURCERPM…) reach the database, which is all the scanner reads.
 *
 * rpm's `%_dbpath` is `~/.rpmdb` in Debian's build (rpm is not Debian's package manager), so
 * every call passes `--dbpath /var/lib/rpm`, which `--root` makes relative to the root:
 * `<root>/var/lib/rpm/rpmdb.sqlite` (the sqlite backend is rpm 4.16+'s default, as on
 * Rocky/RHEL 9).
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { FileSpec } from '../../test-support/oci-image.js';

const run = promisify(execFile);

export const ROCKY_9_OS_RELEASE = `NAME="Rocky Linux"
VERSION="9.3 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
ANSI_COLOR="0;32"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
HOME_URL="https://rockylinux.org/"
BUG_REPORT_URL="https://bugs.rockylinux.org/"
SUPPORT_END="2032-05-31"
ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"
ROCKY_SUPPORT_PRODUCT_VERSION="9.3"
REDHAT_SUPPORT_PRODUCT="Rocky Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.3"
`;

/** One source package (spec) and the binary subpackages it builds (`-n` names, `%package -n`). */
export interface RpmSpec {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  license: string;
  summary: string;
  /** Extra binary packages built from the same spec (their SOURCERPM names this spec). */
  subpackages?: readonly string[];
}

/** The spec file text (https://rpm-software-management.github.io/rpm/manual/spec.html). */
export function specText(s: RpmSpec): string {
  const lines = [
    `Name: ${s.name}`,
    ...(s.epoch !== undefined ? [`Epoch: ${s.epoch}`] : []),
    `Version: ${s.version}`,
    `Release: ${s.release}`,
    `Summary: ${s.summary}`,
    `License: ${s.license}`,
    'Vendor: Rocky Enterprise Software Foundation',
    'BuildArch: noarch',
    '',
    '%description',
    `${s.summary}.`,
    '',
    '%files',
  ];
  for (const sub of s.subpackages ?? []) {
    lines.push(
      '',
      `%package -n ${sub}`,
      `Summary: ${sub} from ${s.name}`,
      '',
      `%description -n ${sub}`,
      `${sub} from ${s.name}.`,
      '',
      `%files -n ${sub}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Builds every spec with `rpmbuild -bb` under `topdir`; returns the built .rpm paths by file name. */
export async function buildRpms(topdir: string, specs: readonly RpmSpec[]): Promise<Map<string, string>> {
  await mkdir(join(topdir, 'SPECS'), { recursive: true });
  for (const s of specs) {
    const file = join(topdir, 'SPECS', `${s.name}-${s.version}-${s.release}.spec`);
    await writeFile(file, specText(s));
    await run('rpmbuild', [
      '-bb',
      '--quiet',
      '--nodeps',
      '--define',
      `_topdir ${topdir}`,
      // No build-id links or debuginfo: the packages have no files.
      '--define',
      '_build_id_links none',
      '--define',
      'debug_package %{nil}',
      file,
    ]);
  }
  const dir = join(topdir, 'RPMS', 'noarch');
  const out = new Map<string, string>();
  for (const name of await readdir(dir)) out.set(name, join(dir, name));
  return out;
}

const dbArgs = (root: string) => ['--root', root, '--dbpath', '/var/lib/rpm'];

/**
 * A root file system with an rpm database holding exactly `rpms` (installed `--justdb`, so no
 * file lands in the root but the database) and the os-release file where Rocky's
 * `rocky-release` package puts it: `usr/lib/os-release`, with `etc/os-release` a relative
 * symlink to it (https://www.freedesktop.org/software/systemd/man/latest/os-release.html).
 */
export async function installRoot(root: string, rpms: readonly string[], osRelease: string): Promise<void> {
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'usr', 'lib'), { recursive: true });
  await writeFile(join(root, 'usr', 'lib', 'os-release'), osRelease);
  await symlink('../usr/lib/os-release', join(root, 'etc', 'os-release'));
  await run('rpm', [...dbArgs(root), '--initdb']);
  await run('rpm', [...dbArgs(root), '-i', '--nodeps', '--justdb', '--noscripts', ...rpms]);
}

/** `rpm -U` in the root's database, as `dnf upgrade` leaves it: the old headers replaced. */
export async function upgradeRoot(root: string, rpms: readonly string[]): Promise<void> {
  await run('rpm', [...dbArgs(root), '-U', '--nodeps', '--justdb', '--noscripts', ...rpms]);
}

/** `rpm -qa` of the root, `name epoch:version-release source-rpm` per line, sorted. */
export async function queryRoot(root: string): Promise<string[]> {
  const { stdout } = await run('rpm', [
    ...dbArgs(root),
    '-qa',
    '--qf',
    '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{SOURCERPM}\\n',
  ]);
  return stdout.trim().split('\n').sort();
}

/** Whether rpm and rpmbuild can be run here (they are in Debian's `rpm` package). */
export async function haveRpmTools(): Promise<boolean> {
  try {
    await run('rpmbuild', ['--version']);
    await run('rpm', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * The files and symlinks of `root` as layer entries (the rpm lock and empty sqlite side files skipped: rpm
 * leaves a zero-length `-wal` and a `-shm` index that a built image would not carry).
 */
export async function layerFiles(root: string): Promise<FileSpec[]> {
  const out: FileSpec[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isSymbolicLink())
        out.push({ path: relative(root, path), type: 'symlink', linkname: await readlink(path) });
      else if (entry.isFile() && !/^(\.rpm\.lock|rpmdb\.sqlite-(shm|wal))$/.test(entry.name))
        out.push({ path: relative(root, path), content: await readFile(path) });
    }
  };
  await walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
