/**
 * Composer record → Package. purl per PURL-TYPES `composer`
 * (https://github.com/package-url/purl-spec/blob/main/types/composer-definition.json): the vendor is
 * the namespace, and namespace and name are case-insensitive, so lowercased (Packagist names are
 * lowercase already; the package keeps its name as written). The version is kept as Composer
 * wrote it (`v6.5.7.3`): the composer version scheme reads the `v`.
 */
import type { Location } from '../../../model/issue.js';
import { type Package, packageId } from '../../../model/package.js';
import { formatPurl } from '../../purl.js';
import type { ComposerRecord } from './parse.js';

export function composerPackage(record: ComposerRecord, location: Location): Package {
  const { name, version } = record;
  const slash = name.indexOf('/');
  return {
    id: packageId('composer', name, version, location.path),
    type: 'composer',
    name,
    version,
    purl: formatPurl({
      type: 'composer',
      namespace: name.slice(0, slash).toLowerCase(),
      name: name.slice(slash + 1).toLowerCase(),
      version,
    }),
    licenses: record.licenses,
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
  };
}
