/**
 * An `ImageResult` as the SBOM writers' `SbomInput`, so the scan report's CycloneDX and SPDX
 * documents describe packages exactly as `assay sbom` does (one mapping, in ../sbom/). The
 * result keeps less about the image than an `ImageDescription`; what it lacks is left empty
 * and never invented (no media types, no runtime config).
 */
import type { ImageDescription, SourceKind } from '../../image/types.js';
import type { ImageResult } from '../../model/result.js';
import type { SbomInput } from '../sbom/input.js';
import { wasRead } from './findings.js';

const sourceKinds: readonly SourceKind[] = [
  'registry',
  'engine',
  'docker-archive',
  'oci-archive',
  'oci-dir',
  'rootfs',
];

/** The result's `image.source` when it is an image source; `sbom:` inputs have none. */
function sourceKind(source: string): SourceKind | undefined {
  return sourceKinds.find((k) => k === source);
}

export function imageDescriptionOf(result: ImageResult): ImageDescription {
  const ref = result.image;
  const tag = ref.tags[0];
  return {
    input: result.input,
    // `sbom` is not an ImageDescription source; the writers only print it, and
    // `fixSourceProperty` puts the real value back into the CycloneDX document.
    source: sourceKind(ref.source) ?? 'rootfs',
    registry: ref.registry,
    // The purl and SPDX ids need a name; an image that was never resolved may have none.
    repository: ref.repository || 'unknown',
    ...(tag ? { tag } : {}),
    ...(ref.manifestDigest ? { manifestDigest: ref.manifestDigest } : {}),
    imageId: ref.imageId ?? ref.id,
    platform: ref.platform ?? { os: '', architecture: '' },
    ...(ref.created ? { created: ref.created } : {}),
    labels: {},
    config: {},
    history: [],
    layers: result.layers.map((layer) => ({
      index: layer.index,
      digest: layer.digest,
      diffId: layer.diffId,
      size: layer.size,
      mediaType: '',
      ...(layer.createdBy ? { createdBy: layer.createdBy } : {}),
      ...(layer.created ? { created: layer.created } : {}),
    })),
    size: ref.size ?? -1,
  };
}

export function sbomInputOf(result: ImageResult, now: Date | undefined): SbomInput {
  return {
    image: imageDescriptionOf(result),
    ...(result.image.os ? { os: result.image.os } : {}),
    packages: result.packages,
    issues: result.issues,
    tool: result.scanner,
    // Whole seconds: SPDX 2.3 dates are `YYYY-MM-DDThh:mm:ssZ` (spec clause 6.9).
    timestamp: now ? now.toISOString().replace(/\.\d{3}Z$/, 'Z') : result.scannedAt,
  };
}

/** One document per image: a single image gives one object, several give a JSON array. */
export function oneOrMany<T>(documents: T[]): string {
  const value = documents.length === 1 ? documents[0] : documents;
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** What a scan status means for a reader of an SBOM that has no place for it. */
export function statusNote(result: ImageResult): string | undefined {
  if (result.status === 'scanned') return undefined;
  const why = result.statusMessage ? `: ${result.statusMessage}` : '';
  if (result.status === 'partial') return `partial scan, the package list is incomplete${why}`;
  if (wasRead(result)) return `incomplete scan (${result.status})${why}`;
  return `not scanned (${result.status})${why}; the package list is empty because nothing was read`;
}
