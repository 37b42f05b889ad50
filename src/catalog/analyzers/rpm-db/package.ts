/**
 * rpmdb record → the model's Package. The version is rpm's `[epoch:]version-release` (what the
 * rpm version scheme compares); the purl is provisional (`pkg:rpm/<name>@<version>-<release>?
 * arch=…&epoch=…`, no vendor namespace or `distro=`) because one layer's rpmdb does not say which
 * OS it belongs to: `squash.ts` rebuilds it with `osPackagePurl` once the image's OS is known.
 */
import type { z } from 'zod';
import type { Location } from '../../../model/issue.js';
import {
  type Package,
  packageId,
  type RpmMetadataSchema,
  type SourcePackage,
} from '../../../model/package.js';
import { osPackagePurl } from '../../os-purl.js';
import type { RpmPackageRecord } from './record.js';

type RpmMetadata = z.infer<typeof RpmMetadataSchema>;

export function toPackage(record: RpmPackageRecord, location: Location): Package {
  const version = rpmVersion(record);
  const pkg: Package = {
    id: packageId('rpm', record.name, version, location.path),
    type: 'rpm',
    name: record.name,
    version,
    purl: osPackagePurl(
      { type: 'rpm', name: record.name, version, arch: record.arch, epoch: record.epoch },
      undefined,
    ),
    release: record.release,
    licenses: record.license ? [record.license] : [],
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
    metadata: metadataOf(record),
  };
  if (record.arch) pkg.arch = record.arch;
  if (record.epoch !== undefined) pkg.epoch = record.epoch;
  const source = record.sourceRpm ? sourcePackage(record.sourceRpm, record.epoch) : undefined;
  if (source !== undefined) pkg.source = source;
  return pkg;
}

function metadataOf(record: RpmPackageRecord): RpmMetadata {
  const metadata: RpmMetadata = { kind: 'rpm' };
  // Empty strings in the database carry no information: the model leaves such fields out.
  if (record.sourceRpm) metadata.sourceRpm = record.sourceRpm;
  if (record.modularityLabel) metadata.modularityLabel = record.modularityLabel;
  if (record.vendor) metadata.vendor = record.vendor;
  if (record.size !== undefined) metadata.installedSize = record.size;
  return metadata;
}

/** `[epoch:]version-release`; an EPOCH tag of 0 is kept (rpm compares it equal to none). */
export function rpmVersion(record: Pick<RpmPackageRecord, 'epoch' | 'version' | 'release'>): string {
  const evr = `${record.version}-${record.release}`;
  return record.epoch === undefined ? evr : `${record.epoch}:${evr}`;
}

const SOURCE_RPM = /^(?<name>.+)-(?<version>[^-]+)-(?<release>[^-]+)\.(?:no)?src\.rpm$/;

/**
 * The source package from SOURCERPM's file name, `<name>-<version>-<release>.src.rpm` (name may
 * contain dashes, version and release may not). The file name has no epoch; source and binary
 * packages are built from one spec and share it, so the binary's epoch is used (as Trivy and
 * Syft do). Undefined when the name does not have that shape.
 */
export function sourcePackage(sourceRpm: string, epoch: number | undefined): SourcePackage | undefined {
  const match = SOURCE_RPM.exec(sourceRpm)?.groups;
  if (match?.name === undefined || match.version === undefined || match.release === undefined)
    return undefined;
  return { name: match.name, version: rpmVersion({ epoch, version: match.version, release: match.release }) };
}
