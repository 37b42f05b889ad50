/**
 * Language ecosystems: one OSV namespace each, the package name as the ecosystem spells it
 * (normalised later by `normalizePackageName`), the version as installed.
 */
import type { Package, PackageType } from '../../model/package.js';
import { parsePurlBase } from '../purl-parts.js';
import { exactly, type LookupKey, type NamespaceResolver } from './resolver.js';

function plainKey(pkg: Package): LookupKey {
  return { name: pkg.name, version: pkg.version };
}

function language(
  type: PackageType,
  ecosystem: string,
  key: (pkg: Package) => LookupKey | undefined = plainKey,
): NamespaceResolver {
  return {
    id: type,
    types: [type],
    os: false,
    feedHint: `osv --ecosystem ${ecosystem}`,
    appliesTo: () => true,
    namespaces: (_os, available) => exactly(ecosystem, ecosystem, available),
    key,
  };
}

/**
 * OSV names Maven packages `groupId:artifactId`. The coordinate comes from the purl
 * (`pkg:maven/<group>/<artifact>@<version>`); a jar whose group id could not be found has a
 * purl without a namespace and cannot be named in Maven's terms, so it is not looked up (a
 * bare artifact id would match another group's package of the same name).
 */
function mavenKey(pkg: Package): LookupKey | undefined {
  const purl = parsePurlBase(pkg.purl);
  if (purl?.type !== 'maven' || !purl.namespace) return undefined;
  return { name: `${purl.namespace}:${purl.name}`, version: purl.version ?? pkg.version };
}

/**
 * Go's toolchain is the OSV package `stdlib` in the `Go` namespace, with versions written
 * without the `go` prefix (`1.21.4`, as `GO-2021-0067` spells its events); the go-binary
 * analyzer already reports it that way.
 */
function stdlibKey(pkg: Package): LookupKey {
  return { name: 'stdlib', version: pkg.version.replace(/^go/, '') };
}

/**
 * A main module built from a checkout has the version `(devel)`: no release, so no advisory's
 * range can say anything about it.
 */
function goModuleKey(pkg: Package): LookupKey | undefined {
  return pkg.version === '(devel)' ? undefined : plainKey(pkg);
}

export const languageResolvers: readonly NamespaceResolver[] = [
  language('npm', 'npm'),
  language('python', 'PyPI'),
  language('gem', 'RubyGems'),
  language('java', 'Maven', mavenKey),
  language('go-module', 'Go', goModuleKey),
  language('go-stdlib', 'Go', stdlibKey),
  language('cargo', 'crates.io'),
  language('composer', 'Packagist'),
  language('nuget', 'NuGet'),
];
