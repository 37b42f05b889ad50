/**
 * A crate → Package (type `cargo`), shared by `cargo-lock` and `cargo-auditable`.
 * purl: `pkg:cargo/<name>@<version>` (PURL-TYPES "cargo": crates.io is the default repository,
 * names are case-sensitive). Crates from git keep where they came from in the `vcs_url`
 * qualifier (`git+https://host/repo@<commit>`, the purl spec's vcs_url form); crates from a
 * registry other than crates.io keep it in `repository_url`, so neither is mistaken for the
 * crates.io crate of the same name.
 * Which crates are reported is decided by the callers: only crates whose code came from a
 * registry or git (see the README).
 */
import type { Location } from '../../../model/issue.js';
import { type Package, packageId } from '../../../model/package.js';
import { formatPurl } from '../../purl.js';

const CRATES_IO = new Set([
  'registry+https://github.com/rust-lang/crates.io-index',
  'sparse+https://index.crates.io/',
  'crates.io',
]);

export function cratePackage(
  name: string,
  version: string,
  source: string | undefined,
  location: Location,
): Package {
  return {
    id: packageId('cargo', name, version, location.path),
    type: 'cargo',
    name,
    version,
    purl: formatPurl({ type: 'cargo', name, version, qualifiers: qualifiersOf(source) }),
    licenses: [],
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
  };
}

function qualifiersOf(source: string | undefined): Record<string, string> {
  if (!source || CRATES_IO.has(source)) return {};
  if (source.startsWith('git+')) {
    // `git+https://github.com/o/r?branch=main#<commit>` → `git+https://github.com/o/r@<commit>`
    const hash = source.indexOf('#');
    const url = source.slice(0, hash === -1 ? undefined : hash).replace(/\?.*$/, '');
    return { vcs_url: hash === -1 ? url : `${url}@${source.slice(hash + 1)}` };
  }
  const plus = source.indexOf('+');
  return { repository_url: plus === -1 ? source : source.slice(plus + 1) };
}

/** Registry and git crates are dependencies; path crates (no source) are the project's own code. */
export function isExternalSource(source: string | undefined): source is string {
  return (
    source !== undefined &&
    (source.startsWith('registry+') || source.startsWith('sparse+') || source.startsWith('git+'))
  );
}
