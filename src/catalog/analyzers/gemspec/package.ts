/**
 * Gem record → Package. purl per PURL-TYPES `gem`
 * (https://github.com/package-url/purl-spec/blob/main/types/gem-definition.json): no namespace,
 * the platform as the `platform` qualifier, left out for the default `ruby`. The platform is
 * also kept as `arch`, so two platform builds of one version are two packages.
 * Shared with `gemfile-lock`, which names gems the same way.
 */
import type { Location } from '../../../model/issue.js';
import { type Package, packageId } from '../../../model/package.js';
import { formatPurl } from '../../purl.js';

export interface GemIdentity {
  name: string;
  version: string;
  platform?: string;
  licenses: readonly string[];
}

export function gemPackage(gem: GemIdentity, location: Location): Package {
  const platform = gem.platform && gem.platform !== 'ruby' ? gem.platform : undefined;
  const pkg: Package = {
    id: packageId('gem', gem.name, gem.version, location.path, platform),
    type: 'gem',
    name: gem.name,
    version: gem.version,
    purl: formatPurl({ type: 'gem', name: gem.name, version: gem.version, qualifiers: { platform } }),
    licenses: [...gem.licenses],
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
  };
  if (platform) pkg.arch = platform;
  return pkg;
}
