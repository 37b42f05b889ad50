/**
 * SPDX 2.2/2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/) as Assay, Trivy and Syft write it.
 * Packages are the SPDX packages with a `purl` external reference (category `PACKAGE-MANAGER`);
 * the OS is the package whose `primaryPackagePurpose` is `OPERATING_SYSTEM` (or whose id is
 * Trivy's `SPDXRef-OperatingSystem-…`); the image is the `CONTAINER` package. Per producer:
 * - source package: `sourceInfo: "built package from: NAME VERSION"` (Assay, Trivy);
 * - layer: Trivy's `attributionTexts` `LayerDiffID: …`, Assay's `comment` (`… introduced in
 *   layer N (sha256:…)`); location: Assay's comment, Syft's `sourceInfo` (`… DB: /path`).
 */
import { z } from 'zod';
import type { ResultLayer } from '../model/result.js';
import { repositoryUrl } from './sbom-cyclonedx.js';
import { type OsHint, osFromHint } from './sbom-os.js';
import type { ComponentFacts } from './sbom-package.js';
import { SbomCollector, type SbomImage } from './sbom-types.js';

const ExternalRefSchema = z.object({
  referenceCategory: z.string(),
  referenceType: z.string(),
  referenceLocator: z.string(),
});
const PackageSchema = z.object({
  SPDXID: z.string(),
  name: z.string(),
  versionInfo: z.string().optional(),
  externalRefs: z.array(ExternalRefSchema).optional(),
  licenseDeclared: z.string().optional(),
  sourceInfo: z.string().optional(),
  comment: z.string().optional(),
  primaryPackagePurpose: z.string().optional(),
  attributionTexts: z.array(z.string()).optional(),
});
type SpdxPackage = z.infer<typeof PackageSchema>;

export const SpdxSchema = z.object({
  spdxVersion: z.string().regex(/^SPDX-2\.[0-9]$/, 'SPDX-2.x (SPDX 3 is not read yet)'),
  name: z.string().optional(),
  packages: z.array(z.unknown()).optional(),
});

const BUILT_FROM = /^built package from: (\S+)(?: (\S+))?/;
const ASSAY_COMMENT = /^\S+ package from ([^,]+)(?:, [^,]+)*, introduced in layer (\d+) \(([^)]*)\)$/;

export function readSpdx(doc: z.infer<typeof SpdxSchema>, sbomPath: string): SbomImage {
  const parsed: SpdxPackage[] = [];
  const bad: string[] = [];
  (doc.packages ?? []).forEach((raw, i) => {
    const p = PackageSchema.safeParse(raw);
    if (p.success) parsed.push(p.data);
    else bad.push(`package ${i}: ${z.prettifyError(p.error)}`);
  });
  const image = parsed.find(isImage);
  const layers = image ? layersOf(image) : [];
  const out = new SbomCollector(sbomPath, layers);
  for (const message of bad) out.issue('malformed-record', message);
  const osHints: OsHint[] = [];
  for (const p of parsed) {
    if (p === image) continue;
    if (isOs(p)) osHints.push({ name: p.name, ...(p.versionInfo ? { version: p.versionInfo } : {}) });
    else if (purlOf(p) || p.primaryPackagePurpose === 'LIBRARY') out.add(facts(p));
  }
  const result: SbomImage = {
    format: 'spdx',
    documentDigest: '',
    tags: [],
    layers,
    packages: out.packages,
    issues: [],
  };
  if (image) describeImage(image, result);
  else if (doc.name) result.name = doc.name;
  const os = osHints[0] ? osFromHint(osHints[0], out.location) : undefined;
  if (os) result.os = os;
  if (new Set(osHints.map((h) => `${h.name} ${h.version ?? ''}`)).size > 1)
    out.issue('conflicting-os', `several operating-system packages; using ${osHints[0]!.name}`);
  result.issues = out.finish();
  return result;
}

function isOs(p: SpdxPackage): boolean {
  const purpose = p.primaryPackagePurpose?.replace('-', '_');
  return purpose === 'OPERATING_SYSTEM' || p.SPDXID.startsWith('SPDXRef-OperatingSystem-');
}

function isImage(p: SpdxPackage): boolean {
  return (
    p.primaryPackagePurpose === 'CONTAINER' ||
    p.SPDXID.startsWith('SPDXRef-ContainerImage-') ||
    p.SPDXID.startsWith('SPDXRef-DocumentRoot-Image-')
  );
}

function purlOf(p: SpdxPackage): string | undefined {
  return p.externalRefs?.find(
    (r) => r.referenceType === 'purl' && r.referenceCategory.replace('_', '-') === 'PACKAGE-MANAGER',
  )?.referenceLocator;
}

function facts(p: SpdxPackage): ComponentFacts {
  const f: ComponentFacts = { ref: p.SPDXID, name: p.name, licenses: licensesOf(p.licenseDeclared) };
  const purl = purlOf(p);
  if (purl) f.purl = purl;
  if (p.versionInfo) f.version = p.versionInfo;
  const built = BUILT_FROM.exec(p.sourceInfo ?? '');
  if (built) f.source = built[2] ? { name: built[1]!, version: built[2] } : { name: built[1]! };
  const assay = ASSAY_COMMENT.exec(p.comment ?? '');
  if (assay) {
    f.path = assay[1]!;
    if (assay[3]) f.layerDiffId = assay[3];
  }
  const trivyLayer = attribution(p, 'LayerDiffID');
  if (trivyLayer) f.layerDiffId = trivyLayer;
  // Syft: "acquired package info from DPKG DB: /var/lib/dpkg/status".
  const syftPath = /^acquired package info from [^:]+: (\S+)/.exec(p.sourceInfo ?? '')?.[1];
  if (!f.path && syftPath) f.path = syftPath;
  return f;
}

function attribution(p: SpdxPackage, key: string): string | undefined {
  const line = p.attributionTexts?.find((t) => t.startsWith(`${key}: `));
  return line?.slice(key.length + 2);
}

/** `NOASSERTION`/`NONE` say nothing; anything else is kept as written. */
function licensesOf(declared: string | undefined): string[] {
  return declared && declared !== 'NOASSERTION' && declared !== 'NONE' ? [declared] : [];
}

/** Assay's image comment lists `layer N: sha256:…`; Trivy's attribution texts list `DiffID: …` in order. */
function layersOf(image: SpdxPackage): ResultLayer[] {
  const assay = [...(image.comment ?? '').matchAll(/^layer (\d+): (\S+)$/gm)].map((m) => m[2]!);
  const trivy = (image.attributionTexts ?? []).flatMap((t) => (t.startsWith('DiffID: ') ? [t.slice(8)] : []));
  return (assay.length > 0 ? assay : trivy).map((diffId, index) => ({
    index,
    digest: '',
    diffId,
    size: -1,
    base: false,
  }));
}

function describeImage(image: SpdxPackage, result: SbomImage): void {
  result.name = image.name;
  const imageId = /^image id (\S+)/.exec(image.comment ?? '')?.[1] ?? attribution(image, 'ImageID');
  if (imageId) result.imageId = imageId;
  const version =
    image.versionInfo && /^sha256:[0-9a-f]{64}$/.test(image.versionInfo) ? image.versionInfo : undefined;
  const repoDigest = attribution(image, 'RepoDigest');
  const manifest =
    version && version !== imageId ? version : repoDigest?.slice(repoDigest.lastIndexOf('@') + 1);
  if (manifest) result.manifestDigest = manifest;
  const purl = purlOf(image);
  const tag = purl ? /[?&]tag=([^&#]+)/.exec(purl)?.[1] : undefined;
  result.reference = attribution(image, 'RepoTag') ?? repositoryUrl(purl) ?? image.name;
  result.tags = tag ? [decodeURIComponent(tag)] : [];
}
