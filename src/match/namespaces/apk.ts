/**
 * Alpine, Wolfi and Chainguard: apk packages matched by ORIGIN (the APKBUILD that built them;
 * secdb and OSV name origins), at the package's version, which is the origin's (one APKBUILD,
 * one `pkgver-rpkgrel`). Alpine's namespace is the release branch, `Alpine:v3.19`
 * (https://secdb.alpinelinux.org/); Wolfi and Chainguard are rolling and unversioned.
 */
import type { Package } from '../../model/package.js';
import { exactly, majorMinor, type NamespaceResolver } from './resolver.js';

function originKey(pkg: Package) {
  return { name: pkg.source?.name ?? pkg.name, version: pkg.version };
}

export const alpineResolver = {
  id: 'alpine',
  types: ['apk'],
  os: true,
  feedHint: 'alpine-secdb',
  appliesTo: (os) => os?.family === 'alpine',
  namespaces(os, available) {
    const mm = majorMinor(os?.versionId ?? '');
    const wanted = `Alpine:v${mm ?? os?.versionId ?? '?'}`;
    return mm
      ? exactly(wanted, `Alpine ${mm}`, available)
      : { found: [], wanted, label: 'Alpine (unknown release)' };
  },
  key: originKey,
} satisfies NamespaceResolver;

export const wolfiResolver = {
  id: 'wolfi',
  types: ['apk'],
  os: true,
  feedHint: 'osv --ecosystem Wolfi',
  appliesTo: (os) => os?.family === 'wolfi',
  namespaces: (_os, available) => exactly('Wolfi', 'Wolfi', available),
  key: originKey,
} satisfies NamespaceResolver;

export const chainguardResolver = {
  id: 'chainguard',
  types: ['apk'],
  os: true,
  feedHint: 'osv --ecosystem Chainguard',
  appliesTo: (os) => os?.family === 'chainguard',
  namespaces: (_os, available) => exactly('Chainguard', 'Chainguard', available),
  key: originKey,
} satisfies NamespaceResolver;
