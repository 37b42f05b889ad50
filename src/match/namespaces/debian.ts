/**
 * Debian and Ubuntu: dpkg packages matched by SOURCE package at the SOURCE version. The Debian
 * security tracker and Ubuntu's OSV records are keyed by source package, and their fixed
 * versions are source versions (https://security-team.debian.org/security_tracker.html). A
 * binary's own version can differ from its source's: a binNMU rebuild adds `+b1`
 * (https://wiki.debian.org/binNMU), and some sources build binaries with their own numbering
 * (`gcc-defaults` 1.203 builds `cpp` 4:12.2.0-3). Comparing the source version, which the
 * catalog takes from dpkg's `Source: name (version)` field, is what the fixed versions mean.
 */
import type { OsRelease } from '../../model/os.js';
import type { Package } from '../../model/package.js';
import { debianNamespace } from '../../vulndb/debian-releases.js';
import type { LookupKey, NamespaceChoice, NamespaceResolver } from './resolver.js';
import { exactly } from './resolver.js';

function sourceKey(pkg: Package): LookupKey {
  return { name: pkg.source?.name ?? pkg.name, version: pkg.source?.version || pkg.version };
}

export const debianResolver = {
  id: 'debian',
  types: ['deb'],
  os: true,
  feedHint: 'debian-tracker',
  appliesTo: (os) => os?.family === 'debian' || os?.family === 'distroless',
  namespaces(os, available): NamespaceChoice {
    const release = os?.versionId || os?.codename || '';
    const ns = debianNamespace(release);
    if (!ns)
      return {
        found: [],
        wanted: `Debian:${release || '?'}`,
        label: `Debian ${release || '(unknown release)'}`,
      };
    return exactly(ns, ns.replace(':', ' '), available);
  },
  key: sourceKey,
} satisfies NamespaceResolver;

/**
 * OSV spells Ubuntu releases `Ubuntu:22.04:LTS`, `Ubuntu:24.10`, and Ubuntu Pro's extended
 * coverage `Ubuntu:Pro:18.04:LTS` / `Ubuntu:Pro:FIPS…` (https://ossf.github.io/osv-schema/#defined-ecosystems).
 * Pro data only applies to machines attached to Pro, so it is used only when the release has
 * nothing else (an end-of-standard-support release whose data lives only under Pro).
 */
function ubuntuNamespaces(versionId: string, available: readonly string[]): string[] {
  const standard = available.filter(
    (n) => n === `Ubuntu:${versionId}` || n.startsWith(`Ubuntu:${versionId}:`),
  );
  if (standard.length > 0 || versionId === '') return standard;
  return available.filter((n) => n.startsWith('Ubuntu:Pro:') && n.split(':').includes(versionId));
}

export const ubuntuResolver = {
  id: 'ubuntu',
  types: ['deb'],
  os: true,
  feedHint: 'osv --ecosystem Ubuntu',
  appliesTo: (os) => os?.family === 'ubuntu',
  namespaces(os: OsRelease | undefined, available) {
    const v = os?.versionId ?? '';
    return { found: ubuntuNamespaces(v, available), wanted: `Ubuntu:${v}`, label: `Ubuntu ${v}` };
  },
  key: sourceKey,
} satisfies NamespaceResolver;
