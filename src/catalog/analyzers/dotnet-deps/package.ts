/**
 * NuGet record → Package. purl per PURL-TYPES `nuget`
 * (https://github.com/package-url/purl-spec/blob/main/types/nuget-definition.json): no namespace,
 * the name as the package's id is written (`pkg:nuget/EnterpriseLibrary.Common@6.0.1304`).
 * Manifests do not carry licences (they are in the `.nuspec` of the package cache), so
 * `licenses` is empty.
 */
import type { Location } from '../../../model/issue.js';
import { type Package, packageId } from '../../../model/package.js';
import { formatPurl } from '../../purl.js';
import type { NugetRecord } from './parse.js';

export function nugetPackage(record: NugetRecord, location: Location): Package {
  const { name, version } = record;
  return {
    id: packageId('nuget', name, version, location.path),
    type: 'nuget',
    name,
    version,
    purl: formatPurl({ type: 'nuget', name, version }),
    licenses: [],
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
  };
}
