/**
 * `sbom:PATH` inputs of `assay scan`: a CycloneDX or SPDX JSON document (from Assay, Trivy or
 * Syft) or Assay's own `assay sbom --format json` document, read into what the catalog would
 * have produced: the OS, the packages (valid `Package`s) and the image identity the document
 * states. A document that is not one of those is an `invalid-input` error; one bad component
 * is a located issue and is skipped.
 */
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { sha256Digest } from '../image/digest.js';
import { AssayError, errorMessage } from '../model/errors.js';
import { IssueSchema } from '../model/issue.js';
import { OsReleaseSchema } from '../model/os.js';
import { isOsPackageType, PackageSchema } from '../model/package.js';
import { parsePurl } from './purl-parse.js';
import { CycloneDxSchema, readCycloneDx } from './sbom-cyclonedx.js';
import { osFromHint, osHintFromDistro } from './sbom-os.js';
import { readSpdx, SpdxSchema } from './sbom-spdx.js';
import type { SbomImage } from './sbom-types.js';

export type { SbomImage } from './sbom-types.js';

/** Larger than any real image's SBOM by two orders of magnitude; V8 strings top out near here. */
export const MAX_SBOM_BYTES = 512 * 1024 ** 2;

export const SBOM_PREFIX = 'sbom:';

export function isSbomInput(input: string): boolean {
  return input.startsWith(SBOM_PREFIX);
}

export async function readSbomInput(path: string, maxBytes = MAX_SBOM_BYTES): Promise<SbomImage> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'invalid-input';
    throw new AssayError(code, `${path}: cannot read the SBOM: ${errorMessage(err)}`, { cause: err });
  }
  if (size > maxBytes)
    throw new AssayError('too-large', `${path}: the SBOM is ${size} bytes, over the ${maxBytes}-byte limit`);
  let doc: unknown;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new AssayError('invalid-input', `${path}: cannot read the SBOM: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  try {
    doc = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new AssayError('invalid-input', `${path}: not a JSON document: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const image = parseSbom(doc, path);
  image.documentDigest = sha256Digest(bytes);
  if (!image.os) addOsFromPurls(image, path);
  return image;
}

export function parseSbom(doc: unknown, path: string): SbomImage {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new AssayError('invalid-input', `${path}: not an SBOM (expected a JSON object)`);
  if ('bomFormat' in doc) return readCycloneDx(check(CycloneDxSchema, doc, path, 'CycloneDX'), path);
  if ('spdxVersion' in doc) return readSpdx(check(SpdxSchema, doc, path, 'SPDX'), path);
  if ('tool' in doc && 'packages' in doc)
    return readAssaySbom(check(AssaySbomSchema, doc, path, 'Assay SBOM'), path);
  throw new AssayError(
    'invalid-input',
    `${path}: not an SBOM Assay reads (CycloneDX JSON with "bomFormat", SPDX 2.x JSON with "spdxVersion", or \`assay sbom\` JSON)`,
  );
}

function check<T extends z.ZodType>(schema: T, doc: unknown, path: string, what: string): z.infer<T> {
  const r = schema.safeParse(doc);
  if (!r.success)
    throw new AssayError(
      'invalid-input',
      `${path}: not a valid ${what} document: ${z.prettifyError(r.error)}`,
    );
  return r.data;
}

/** `assay sbom --format json` (catalog/sbom-document.ts): packages are model `Package`s already. */
const AssaySbomSchema = z.object({
  tool: z.object({ name: z.literal('assay') }),
  complete: z.boolean().optional(),
  layerErrors: z.array(z.object({ layerIndex: z.number(), message: z.string() })).optional(),
  // `assay sbom` writes null for what an image does not have (no tag, no manifest, a layer
  // without created_by), so every optional field also takes null.
  image: z.object({
    repository: z.string().nullish(),
    registry: z.string().nullish(),
    tag: z.string().nullish(),
    manifestDigest: z.string().nullish(),
    imageId: z.string().nullish(),
    layers: z
      .array(z.object({ index: z.number(), diffId: z.string(), createdBy: z.string().nullish() }))
      .nullish(),
  }),
  os: z.unknown(),
  packages: z.array(z.unknown()),
  issues: z.array(z.unknown()).optional(),
});

function readAssaySbom(doc: z.infer<typeof AssaySbomSchema>, path: string): SbomImage {
  const location = { layerDiffId: '', layerIndex: 0, path, evidence: 'primary' as const };
  const result: SbomImage = {
    format: 'assay',
    documentDigest: '',
    tags: doc.image.tag ? [doc.image.tag] : [],
    layers: (doc.image.layers ?? []).map((l) => ({
      index: l.index,
      digest: '',
      diffId: l.diffId,
      ...(l.createdBy ? { createdBy: l.createdBy } : {}),
      size: -1,
      base: false,
    })),
    packages: [],
    issues: [],
  };
  const { registry, repository, manifestDigest, imageId } = doc.image;
  if (repository) result.reference = registry ? `${registry}/${repository}` : repository;
  if (manifestDigest) result.manifestDigest = manifestDigest;
  if (imageId) result.imageId = imageId;
  const os = OsReleaseSchema.safeParse(doc.os);
  if (os.success) result.os = os.data;
  doc.packages.forEach((raw, i) => {
    const pkg = PackageSchema.safeParse(raw);
    if (pkg.success) result.packages.push(pkg.data);
    else
      result.issues.push({
        code: 'malformed-record',
        message: `${path}: package ${i}: ${z.prettifyError(pkg.error)}`,
        location,
      });
  });
  if (doc.complete === false)
    result.incomplete = `the SBOM is partial: ${(doc.layerErrors ?? [])
      .map((e) => `layer ${e.layerIndex}: ${e.message}`)
      .join('; ')}`;
  for (const raw of doc.issues ?? []) {
    const issue = IssueSchema.safeParse(raw);
    if (issue.success) result.issues.push(issue.data);
  }
  return result;
}

/** Syft's SPDX has no OS element: the `distro=` qualifier of the OS packages' purls says it. */
function addOsFromPurls(image: SbomImage, path: string): void {
  for (const pkg of image.packages) {
    if (!isOsPackageType(pkg.type)) continue;
    const parsed = parsePurl(pkg.purl);
    const distro = parsed.ok ? parsed.purl.qualifiers.distro : undefined;
    if (!parsed.ok || !distro) continue;
    const hint = osHintFromDistro(distro, parsed.purl.namespace);
    const os = hint && osFromHint(hint, { layerDiffId: '', layerIndex: 0, path, evidence: 'primary' });
    if (os) {
      image.os = os;
      return;
    }
  }
}
