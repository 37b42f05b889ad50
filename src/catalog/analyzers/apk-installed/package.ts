/**
 * apk record → Package. The origin (`o:`) is the aport the package was built from, the apk
 * counterpart of a source package: secdb advisories name origins. An origin package has the
 * same version as its subpackages (one APKBUILD, one `pkgver-rpkgrel`), so the source version
 * is the record's own. `L:` is kept as written (an SPDX-like expression or a space list).
 */
import type { Location } from '../../../model/issue.js';
import { type Package, packageId } from '../../../model/package.js';
import { osPackagePurl } from '../../os-purl.js';
import type { ApkRecord } from './parse.js';

export type RecordVerdict =
  | { kind: 'package'; pkg: Package }
  | { kind: 'invalid'; code: 'missing-field' | 'malformed-record'; message: string };

export function recordToPackage(record: ApkRecord, location: Location): RecordVerdict {
  const get = (letter: string): string | undefined => record.fields.get(letter)?.trim() || undefined;
  const name = get('P');
  if (!name)
    return { kind: 'invalid', code: 'malformed-record', message: 'record without P: (package name)' };
  const version = get('V');
  if (!version) return { kind: 'invalid', code: 'missing-field', message: `${name}: no V: (version)` };
  const arch = get('A');
  const license = get('L');
  const pkg: Package = {
    id: packageId('apk', name, version, location.path, arch),
    type: 'apk',
    name,
    version,
    purl: osPackagePurl({ type: 'apk', name, version, arch }, undefined),
    source: { name: get('o') ?? name, version },
    licenses: license ? [license] : [],
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
    metadata: metadataOf(get),
  };
  if (arch) pkg.arch = arch;
  return { kind: 'package', pkg };
}

function metadataOf(get: (letter: string) => string | undefined): Package['metadata'] {
  const metadata: NonNullable<Package['metadata']> = { kind: 'apk' };
  const checksum = get('C');
  const commit = get('c');
  const maintainer = get('m');
  const url = get('U');
  const buildTime = integer(get('t'));
  const installedSize = integer(get('I'));
  if (checksum) metadata.checksum = checksum;
  if (commit) metadata.commit = commit;
  if (maintainer) metadata.maintainer = maintainer;
  if (url) metadata.url = url;
  if (buildTime !== undefined) metadata.buildTime = buildTime;
  if (installedSize !== undefined) metadata.installedSize = installedSize;
  return metadata;
}

function integer(text: string | undefined): number | undefined {
  if (!text || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}
