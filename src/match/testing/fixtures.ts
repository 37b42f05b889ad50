/** Test support: packages, OS releases and layers as the catalog produces them, in one line each. */
import type { OsRelease } from '../../model/os.js';
import { type Package, type PackageType, packageId } from '../../model/package.js';
import type { ResultLayer } from '../../model/result.js';

export const DIFF_IDS = [`sha256:${'a'.repeat(64)}`, `sha256:${'b'.repeat(64)}`] as const;

const DB_PATHS: Partial<Record<PackageType, string>> = {
  deb: 'var/lib/dpkg/status',
  apk: 'lib/apk/db/installed',
  rpm: 'var/lib/rpm/rpmdb.sqlite',
};

export interface PkgSpec {
  type: PackageType;
  name: string;
  version: string;
  source?: { name: string; version: string };
  purl?: string;
  epoch?: number;
  layer?: 0 | 1;
  path?: string;
}

export function pkg(spec: PkgSpec): Package {
  const layer = spec.layer ?? 0;
  const path = spec.path ?? DB_PATHS[spec.type] ?? `app/${spec.name}`;
  const diffId = DIFF_IDS[layer];
  const out: Package = {
    id: packageId(spec.type, spec.name, spec.version, path),
    type: spec.type,
    name: spec.name,
    version: spec.version,
    purl: spec.purl ?? `pkg:${spec.type}/${spec.name}@${spec.version}`,
    licenses: [],
    locations: [{ layerDiffId: diffId, layerIndex: layer, path, evidence: 'primary' }],
    introducedIn: { layerIndex: layer, layerDiffId: diffId },
  };
  if (spec.source) out.source = spec.source;
  if (spec.epoch !== undefined) out.epoch = spec.epoch;
  return out;
}

export function os(family: OsRelease['family'], id: string, versionId: string, codename?: string): OsRelease {
  const out: OsRelease = {
    family,
    id,
    version: versionId,
    versionId,
    name: id,
    location: { layerDiffId: DIFF_IDS[0], layerIndex: 0, path: 'etc/os-release', evidence: 'primary' },
  };
  if (codename) out.codename = codename;
  return out;
}

export const LAYERS: ResultLayer[] = [
  {
    index: 0,
    digest: `sha256:${'1'.repeat(64)}`,
    diffId: DIFF_IDS[0],
    createdBy: '/bin/sh -c #(nop) ADD file:base in /',
    size: 100,
    base: true,
  },
  {
    index: 1,
    digest: `sha256:${'2'.repeat(64)}`,
    diffId: DIFF_IDS[1],
    createdBy: 'RUN pip install -r requirements.txt',
    size: 200,
    base: false,
  },
];
