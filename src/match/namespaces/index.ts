/**
 * Every namespace resolver, in ONE list: the first whose `types` include the package's type and
 * that `appliesTo` the image's OS wins. Adding a distro or ecosystem = one resolver + one line.
 */
import type { OsRelease } from '../../model/os.js';
import type { PackageType } from '../../model/package.js';
import { alpineResolver, chainguardResolver, wolfiResolver } from './apk.js';
import { debianResolver, ubuntuResolver } from './debian.js';
import { languageResolvers } from './language.js';
import type { NamespaceResolver } from './resolver.js';
import { almaResolver, openSuseResolver, redHatResolver, rockyResolver, suseResolver } from './rpm.js';

export type { LookupKey, NamespaceChoice, NamespaceResolver } from './resolver.js';

export const resolvers: readonly NamespaceResolver[] = [
  debianResolver,
  ubuntuResolver,
  alpineResolver,
  wolfiResolver,
  chainguardResolver,
  rockyResolver,
  almaResolver,
  redHatResolver,
  suseResolver,
  openSuseResolver,
  ...languageResolvers,
];

export function resolverFor(type: PackageType, os: OsRelease | undefined): NamespaceResolver | undefined {
  return resolvers.find((r) => r.types.includes(type) && r.appliesTo(os));
}
