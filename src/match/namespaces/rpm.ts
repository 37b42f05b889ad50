/**
 * rpm distros: matched by BINARY package name (Red Hat, Rocky, Alma and SUSE advisories list
 * the binary rpms a fix ships in), at `[epoch:]version-release`. OSV's spellings
 * (https://ossf.github.io/osv-schema/#defined-ecosystems): `Rocky Linux:9`, `AlmaLinux:9`,
 * `Red Hat:enterprise_linux:9::appstream` (a product CPE's parts; `rhel_eus`/`rhel_aus` are
 * extended-support streams a container does not get), `SUSE:Linux Enterprise Server 15 SP5`,
 * `openSUSE:Leap 15.5`, `openSUSE:Tumbleweed`.
 */
import type { OsRelease } from '../../model/os.js';
import type { Package } from '../../model/package.js';
import { exactly, majorMinor, majorOf, type NamespaceChoice, type NamespaceResolver } from './resolver.js';

function rpmKey(pkg: Package) {
  const epochless = !pkg.version.includes(':');
  const version =
    epochless && pkg.epoch !== undefined && pkg.epoch > 0 ? `${pkg.epoch}:${pkg.version}` : pkg.version;
  return { name: pkg.name, version };
}

function byMajor(prefix: string, label: string) {
  return (os: OsRelease | undefined, available: readonly string[]): NamespaceChoice => {
    const major = majorOf(os?.versionId ?? '') ?? '?';
    return exactly(`${prefix}:${major}`, `${label} ${major}`, available);
  };
}

export const rockyResolver = {
  id: 'rocky',
  types: ['rpm'],
  os: true,
  feedHint: 'osv --ecosystem "Rocky Linux"',
  appliesTo: (os) => os?.family === 'rocky',
  namespaces: byMajor('Rocky Linux', 'Rocky Linux'),
  key: rpmKey,
} satisfies NamespaceResolver;

export const almaResolver = {
  id: 'almalinux',
  types: ['rpm'],
  os: true,
  feedHint: 'osv --ecosystem AlmaLinux',
  appliesTo: (os) => os?.family === 'almalinux',
  namespaces: byMajor('AlmaLinux', 'AlmaLinux'),
  key: rpmKey,
} satisfies NamespaceResolver;

export const redHatResolver = {
  id: 'redhat',
  types: ['rpm'],
  os: true,
  feedHint: 'osv --ecosystem "Red Hat"',
  appliesTo: (os) => os?.family === 'rhel' || os?.family === 'centos',
  namespaces(os, available) {
    const major = majorOf(os?.versionId ?? '') ?? '?';
    const prefix = `Red Hat:enterprise_linux:${major}`;
    const found = available.filter((n) => n === prefix || n.startsWith(`${prefix}:`));
    return { found, wanted: `${prefix}::*`, label: `Red Hat Enterprise Linux ${major}` };
  },
  key: rpmKey,
} satisfies NamespaceResolver;

/** SLES `15.5` → products ending `15 SP5` (`15` for `15.0`): every SLE module of that service pack. */
function suseNamespaces(os: OsRelease | undefined, available: readonly string[]): NamespaceChoice {
  const mm = majorMinor(os?.versionId ?? '') ?? os?.versionId ?? '';
  const [major, minor] = mm.split('.');
  const release = minor && minor !== '0' ? `${major} SP${minor}` : `${major}`;
  const found = available.filter((n) => n.startsWith('SUSE:') && n.endsWith(` ${release}`));
  return { found, wanted: `SUSE:* ${release}`, label: `SUSE Linux Enterprise ${release}` };
}

function openSuseNamespaces(os: OsRelease | undefined, available: readonly string[]): NamespaceChoice {
  if (os?.id === 'opensuse-tumbleweed')
    return exactly('openSUSE:Tumbleweed', 'openSUSE Tumbleweed', available);
  const mm = majorMinor(os?.versionId ?? '') ?? '?';
  return exactly(`openSUSE:Leap ${mm}`, `openSUSE Leap ${mm}`, available);
}

export const suseResolver = {
  id: 'suse',
  types: ['rpm'],
  os: true,
  feedHint: 'osv --ecosystem SUSE',
  appliesTo: (os) => os?.family === 'sles',
  namespaces: suseNamespaces,
  key: rpmKey,
} satisfies NamespaceResolver;

export const openSuseResolver = {
  id: 'opensuse',
  types: ['rpm'],
  os: true,
  feedHint: 'osv --ecosystem openSUSE',
  appliesTo: (os) => os?.family === 'opensuse',
  namespaces: openSuseNamespaces,
  key: rpmKey,
} satisfies NamespaceResolver;
