/**
 * One SBOM component (CycloneDX component or SPDX package, reduced to `ComponentFacts` by the
 * format readers) → the model's `Package`, driven by its purl: the purl type decides the package
 * type and how name and version are read (PURL-TYPES:
 * https://github.com/package-url/purl-spec/blob/main/PURL-TYPES.rst). What the purl lacks comes
 * from the producers' own conventions: the source package from Assay's `assay:package:source:*`
 * properties, Trivy's `aquasecurity:trivy:Src*` properties, Syft's `upstream=` qualifier or SPDX
 * `sourceInfo: built package from: NAME VERSION`; the layer from `assay:layer:diffId`,
 * `aquasecurity:trivy:LayerDiffID` or `syft:location:0:layerID`.
 */
import { sourcePackage as rpmSourcePackage } from '../catalog/analyzers/rpm-db/package.js';
import type { Location } from '../model/issue.js';
import { type Package, type PackageType, packageId, type SourcePackage } from '../model/package.js';
import { type ParsedPurl, parsePurl } from './purl-parse.js';

export interface ComponentFacts {
  /** How the document names it (bom-ref, SPDXID, else name): for messages. */
  ref: string;
  name?: string;
  version?: string;
  purl?: string;
  licenses: string[];
  /** Where the producer found it, root-relative. */
  path?: string;
  layerDiffId?: string;
  source?: { name: string; version?: string; release?: string; epoch?: string };
}

export type ComponentVerdict =
  | { kind: 'package'; pkg: Package; purl: ParsedPurl }
  | { kind: 'unsupported'; type: string }
  | { kind: 'invalid'; message: string };

const TYPE_OF_PURL: Readonly<Record<string, PackageType>> = {
  deb: 'deb',
  apk: 'apk',
  rpm: 'rpm',
  npm: 'npm',
  pypi: 'python',
  gem: 'gem',
  maven: 'java',
  golang: 'go-module',
  cargo: 'cargo',
  composer: 'composer',
  nuget: 'nuget',
};

export interface PackageContext {
  /** The SBOM's own path: the location of packages whose producer gave none. */
  sbomPath: string;
  layerIndexOf(diffId: string): number;
}

export function componentToPackage(c: ComponentFacts, ctx: PackageContext): ComponentVerdict {
  if (!c.purl) return { kind: 'invalid', message: `${c.ref}: no purl` };
  const parsed = parsePurl(c.purl);
  if (!parsed.ok) return { kind: 'invalid', message: `${c.ref}: invalid purl ${c.purl}: ${parsed.reason}` };
  const purl = parsed.purl;
  const mapped = TYPE_OF_PURL[purl.type];
  if (!mapped) return { kind: 'unsupported', type: purl.type };
  const type = mapped === 'go-module' && !purl.namespace && purl.name === 'stdlib' ? 'go-stdlib' : mapped;
  const name = nameOf(type, purl);
  const version = versionOf(type, purl, c.version);
  if (!version) return { kind: 'invalid', message: `${c.ref}: ${name} has no version` };
  const layerDiffId = c.layerDiffId ?? '';
  const layerIndex = layerDiffId ? ctx.layerIndexOf(layerDiffId) : 0;
  const location: Location = {
    layerDiffId,
    layerIndex,
    path: c.path ? c.path.replace(/^\/+/, '') : ctx.sbomPath,
    evidence: 'primary',
  };
  const arch = purl.qualifiers.arch;
  const pkg: Package = {
    id: packageId(type, name, version, location.path, arch),
    type,
    name,
    version,
    purl: c.purl,
    licenses: c.licenses,
    locations: [location],
    introducedIn: { layerIndex, layerDiffId },
  };
  if (arch) pkg.arch = arch;
  if (type === 'rpm') addRpmParts(pkg, purl);
  const source = sourceOf(type, name, version, c, purl);
  if (source) pkg.source = source;
  return { kind: 'package', pkg, purl };
}

function nameOf(type: PackageType, purl: ParsedPurl): string {
  const ns = purl.namespace;
  switch (type) {
    case 'java':
      return ns ? `${ns}:${purl.name}` : purl.name;
    case 'npm':
    case 'go-module':
    case 'composer':
      return ns ? `${ns}/${purl.name}` : purl.name;
    default:
      return purl.name;
  }
}

/** The model's complete version: deb/rpm with the epoch (`1:2.4-1`), Go's stdlib without `go`/`v`. */
function versionOf(type: PackageType, purl: ParsedPurl, fallback: string | undefined): string | undefined {
  const version = purl.version ?? fallback;
  if (!version) return undefined;
  const epoch = purl.qualifiers.epoch;
  if ((type === 'deb' || type === 'rpm') && epoch && /^\d+$/.test(epoch) && !/^\d+:/.test(version))
    return `${epoch}:${version}`;
  if (type === 'go-stdlib') return version.replace(/^(?:go|v)(?=\d)/, '');
  return version;
}

function addRpmParts(pkg: Package, purl: ParsedPurl): void {
  const epoch = purl.qualifiers.epoch ?? /^(\d+):/.exec(pkg.version)?.[1];
  if (epoch !== undefined && /^\d+$/.test(epoch)) pkg.epoch = Number(epoch);
  const dash = pkg.version.lastIndexOf('-');
  if (dash > 0) pkg.release = pkg.version.slice(dash + 1);
}

function sourceOf(
  type: PackageType,
  name: string,
  version: string,
  c: ComponentFacts,
  purl: ParsedPurl,
): SourcePackage | undefined {
  if (type !== 'deb' && type !== 'apk' && type !== 'rpm') return undefined;
  if (c.source) return fromFacts(c.source, version);
  const upstream = purl.qualifiers.upstream;
  if (upstream && type === 'rpm') return rpmSourcePackage(upstream, epochOf(version));
  if (upstream) {
    // Syft: `upstream=NAME` or `upstream=NAME@VERSION` (when the source version differs).
    const at = upstream.indexOf('@');
    return at > 0
      ? { name: upstream.slice(0, at), version: upstream.slice(at + 1) }
      : { name: upstream, version };
  }
  // dpkg and apk name the source only when it differs (see the dpkg-status analyzer).
  return type === 'rpm' ? undefined : { name, version };
}

function fromFacts(s: NonNullable<ComponentFacts['source']>, binaryVersion: string): SourcePackage {
  if (!s.version) return { name: s.name, version: binaryVersion };
  const evr = s.release ? `${s.version}-${s.release}` : s.version;
  return {
    name: s.name,
    version: s.epoch && s.epoch !== '0' && !evr.includes(':') ? `${s.epoch}:${evr}` : evr,
  };
}

function epochOf(version: string): number | undefined {
  const m = /^(\d+):/.exec(version);
  return m ? Number(m[1]) : undefined;
}
