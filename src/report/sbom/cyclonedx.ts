/**
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/). The image is
 * `metadata.component` (type `container`), the OS and every package are top-level
 * `components`; what CycloneDX has no field for (layer, database path, source package) goes
 * into `properties` under the `assay:` namespace. See README.md for the full mapping.
 */
import type { Issue } from '../../model/issue.js';
import type { OsRelease } from '../../model/os.js';
import { isOsPackageType, type Package } from '../../model/package.js';
import { describeIssue, documentUuid, imageDigest, imagePurl, type SbomInput } from './input.js';
import { classifyLicense, groupForAnd, type LicenseTerm } from './licenses.js';

export interface CdxProperty {
  name: string;
  value: string;
}

type CdxLicenseChoice = Array<{ license: { id: string } | { name: string } } | { expression: string }>;

export interface CdxComponent {
  'bom-ref'?: string;
  type: 'application' | 'container' | 'operating-system' | 'library';
  name: string;
  version?: string;
  description?: string;
  purl?: string;
  licenses?: CdxLicenseChoice;
  properties?: CdxProperty[];
}

export interface CdxBom {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp: string;
    tools: { components: CdxComponent[] };
    component: CdxComponent;
    properties?: CdxProperty[];
  };
  components: CdxComponent[];
}

export function writeCycloneDx(input: SbomInput): CdxBom {
  const refs = new Set<string>();
  const image = imageComponent(input, refs);
  const components: CdxComponent[] = [];
  if (input.os) components.push(osComponent(input.os, refs));
  for (const pkg of input.packages) components.push(packageComponent(pkg, refs));
  const issues = input.issues.map(issueProperty);
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${documentUuid(input)}`,
    version: 1,
    metadata: {
      timestamp: input.timestamp,
      tools: { components: [{ type: 'application', name: input.tool.name, version: input.tool.version }] },
      component: image,
      ...(issues.length > 0 ? { properties: issues } : {}),
    },
    components,
  };
}

/** bom-refs must be unique in the BOM; a clash (a duplicated package id) gets a counter. */
function uniqueRef(wanted: string, refs: Set<string>): string {
  let ref = wanted;
  for (let n = 2; refs.has(ref); n++) ref = `${wanted}-${n}`;
  refs.add(ref);
  return ref;
}

function imageComponent(input: SbomInput, refs: Set<string>): CdxComponent {
  const { image } = input;
  const properties: CdxProperty[] = [
    { name: 'assay:image:id', value: image.imageId },
    { name: 'assay:image:source', value: image.source },
    { name: 'assay:image:platform', value: platformString(image.platform) },
  ];
  if (image.tag) properties.push({ name: 'assay:image:tag', value: image.tag });
  if (image.repoDigest) properties.push({ name: 'assay:image:repoDigest', value: image.repoDigest });
  for (const layer of image.layers) {
    properties.push({ name: `assay:image:layer:${layer.index}:diffId`, value: layer.diffId });
    if (layer.createdBy) {
      properties.push({ name: `assay:image:layer:${layer.index}:createdBy`, value: layer.createdBy });
    }
  }
  const purl = imagePurl(image);
  return {
    'bom-ref': uniqueRef(purl, refs),
    type: 'container',
    name: image.repository,
    version: imageDigest(image),
    purl,
    properties,
  };
}

function platformString(platform: SbomInput['image']['platform']): string {
  const parts = [platform.os, platform.architecture, platform.variant].filter(Boolean);
  return parts.join('/');
}

function osComponent(os: OsRelease, refs: Set<string>): CdxComponent {
  const version = os.versionId || os.version;
  const properties: CdxProperty[] = [
    { name: 'assay:os:family', value: os.family },
    { name: 'assay:location:path', value: os.location.path },
    { name: 'assay:layer:index', value: String(os.location.layerIndex) },
    { name: 'assay:layer:diffId', value: os.location.layerDiffId },
  ];
  if (os.codename) properties.push({ name: 'assay:os:codename', value: os.codename });
  if (os.eol !== undefined) properties.push({ name: 'assay:os:eol', value: String(os.eol) });
  if (os.eolDate) properties.push({ name: 'assay:os:eolDate', value: os.eolDate });
  return {
    'bom-ref': uniqueRef(`os:${os.id}@${version}`, refs),
    type: 'operating-system',
    name: os.id,
    ...(version ? { version } : {}),
    ...(os.prettyName || os.name ? { description: os.prettyName || os.name } : {}),
    properties,
  };
}

function packageComponent(pkg: Package, refs: Set<string>): CdxComponent {
  const licenses = licenseChoice(pkg.licenses.map(classifyLicense));
  return {
    'bom-ref': uniqueRef(pkg.id, refs),
    type: 'library',
    name: pkg.name,
    version: pkg.version,
    purl: pkg.purl,
    ...(licenses ? { licenses } : {}),
    properties: packageProperties(pkg),
  };
}

/** Provenance first (principle 4), then what only OS packages have. */
export function packageProperties(pkg: Package): CdxProperty[] {
  const properties: CdxProperty[] = [
    { name: 'assay:package:type', value: pkg.type },
    { name: 'assay:layer:index', value: String(pkg.introducedIn.layerIndex) },
    { name: 'assay:layer:diffId', value: pkg.introducedIn.layerDiffId },
  ];
  for (const location of pkg.locations) {
    properties.push({ name: 'assay:location:path', value: location.path });
  }
  if (pkg.arch) properties.push({ name: 'assay:package:arch', value: pkg.arch });
  if (isOsPackageType(pkg.type) && pkg.source) {
    properties.push({ name: 'assay:package:source:name', value: pkg.source.name });
    properties.push({ name: 'assay:package:source:version', value: pkg.source.version });
  }
  return properties;
}

/**
 * CycloneDX takes either a list of `license` objects or exactly one `expression` (the 1.6
 * schema's `licenseChoice`). Ids and names stay a list; once an expression is involved, all
 * terms are joined by AND into one expression if they are all SPDX, else each is listed
 * (an expression that cannot be combined with a free name is kept as a `name`).
 */
function licenseChoice(terms: LicenseTerm[]): CdxLicenseChoice | undefined {
  if (terms.length === 0) return undefined;
  if (terms.every((term) => term.kind !== 'expression')) {
    return terms.map((term) => ({ license: term.kind === 'id' ? { id: term.id } : { name: term.name } }));
  }
  if (terms.every((term) => term.kind !== 'name')) {
    const parts = terms.map((term) => (term.kind === 'id' ? term.id : groupForAnd(termText(term))));
    return [{ expression: parts.length === 1 ? termText(terms[0]!) : parts.join(' AND ') }];
  }
  return terms.map((term) => ({ license: term.kind === 'id' ? { id: term.id } : { name: termText(term) } }));
}

function termText(term: LicenseTerm): string {
  return term.kind === 'id' ? term.id : term.kind === 'expression' ? term.expression : term.name;
}

function issueProperty(issue: Issue): CdxProperty {
  return { name: 'assay:issue', value: describeIssue(issue) };
}
