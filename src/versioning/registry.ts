import type { SchemeId, VersionScheme } from './scheme.js';
import { apk } from './schemes/apk/index.js';
import { cargo } from './schemes/cargo/index.js';
import { composer } from './schemes/composer/index.js';
import { deb } from './schemes/deb/index.js';
import { go } from './schemes/go/index.js';
import { maven } from './schemes/maven/index.js';
import { nuget } from './schemes/nuget/index.js';
import { pep440 } from './schemes/pep440/index.js';
import { rpm } from './schemes/rpm/index.js';
import { rubygems } from './schemes/rubygems/index.js';
import { semver } from './schemes/semver/index.js';

/**
 * Every version scheme, by id. Adding a scheme = one folder under schemes/ plus one line here;
 * the type makes each entry's `id` match its key. (`VersionScheme<unknown>` accepts every
 * scheme because `compare` is a method; parsed values only ever meet their own scheme.)
 */
export const schemes = {
  deb,
  rpm,
  apk,
  pep440,
  semver,
  maven,
  rubygems,
  go,
  nuget,
  composer,
  cargo,
} satisfies { readonly [K in SchemeId]: VersionScheme<unknown> & { readonly id: K } };

export const schemeIds = Object.keys(schemes) as readonly SchemeId[];

export function isSchemeId(id: string): id is SchemeId {
  return Object.hasOwn(schemes, id);
}

/**
 * The one mapping from an OSV ecosystem (https://ossf.github.io/osv-schema/#defined-ecosystems)
 * to the scheme that orders its versions. Release suffixes are ignored: `Debian:12`,
 * `Alpine:v3.19`, `Ubuntu:Pro:18.04:LTS`, `Red Hat:rhel_aus:8.4::appstream`, `Maven:https://…`.
 */
const ECOSYSTEMS: ReadonlyMap<string, SchemeId> = new Map<string, SchemeId>([
  ['Debian', 'deb'],
  ['Ubuntu', 'deb'],
  ['Alpine', 'apk'],
  ['Wolfi', 'apk'],
  ['Chainguard', 'apk'],
  ['Red Hat', 'rpm'],
  ['Rocky Linux', 'rpm'],
  ['AlmaLinux', 'rpm'],
  ['SUSE', 'rpm'],
  ['openSUSE', 'rpm'],
  ['Photon OS', 'rpm'],
  ['Mageia', 'rpm'],
  ['openEuler', 'rpm'],
  ['Azure Linux', 'rpm'],
  ['PyPI', 'pep440'],
  ['npm', 'semver'],
  ['Go', 'go'],
  ['Maven', 'maven'],
  ['RubyGems', 'rubygems'],
  ['NuGet', 'nuget'],
  ['Packagist', 'composer'],
  ['crates.io', 'cargo'],
]);

/** The scheme for an OSV ecosystem string, or undefined when Assay has none for it. */
export function schemeForEcosystem(ecosystem: string): SchemeId | undefined {
  const colon = ecosystem.indexOf(':');
  return ECOSYSTEMS.get(colon >= 0 ? ecosystem.slice(0, colon) : ecosystem);
}
