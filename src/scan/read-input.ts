/**
 * The first half of a scan: from an input to what was installed. An image is opened, described
 * and catalogued (through the layer cache); an `sbom:PATH` is read. Either way the result is the
 * image's identity, layers, OS, packages and located issues, plus whether some of it could not
 * be read. Per-image failures throw AssayErrors; `scan.ts` turns them into statuses.
 */
import { catalogImage } from '../catalog/catalog-image.js';
import { type ContentRequest, contentCompanion, contentOf, readsFiles } from '../content/content-scan.js';
import type { PlacedContent } from '../content/findings.js';
import { redactHistory } from '../content/redact-history.js';
import type { LayerCache } from '../image/cache/layer-cache.js';
import { openSource, type SourceOptions } from '../image/source.js';
import type { ImageDescription } from '../image/types.js';
import type { Issue } from '../model/issue.js';
import type { OsRelease } from '../model/os.js';
import type { Package } from '../model/package.js';
import type { ImageRef, ResultLayer } from '../model/result.js';
import { inferBaseImage } from './base-layers.js';
import { imageRefOf, sbomImageRef } from './image-ref.js';
import { readSbomInput, SBOM_PREFIX } from './sbom-input.js';

export interface InputContents {
  image: ImageRef;
  layers: ResultLayer[];
  os?: OsRelease;
  packages: Package[];
  issues: Issue[];
  /** Set when some layers could not be read: the packages are partial. */
  incomplete?: string;
  /** How the packages were found, for the status message: `in 5 layers`, `from a CycloneDX SBOM`. */
  readFrom: string;
  /** Content findings, when content scanners ran (never for an SBOM). */
  content?: PlacedContent;
}

export interface ReadOptions {
  source: SourceOptions;
  /** Content scanners to run beside the catalog (images only: an SBOM has no file contents). */
  content?: ContentRequest;
  cache?: LayerCache;
  signal?: AbortSignal;
  today: Date;
  onProgress?: (text: string) => void;
}

export async function readInput(input: string, opts: ReadOptions): Promise<InputContents> {
  if (input.startsWith(SBOM_PREFIX)) return readSbom(input.slice(SBOM_PREFIX.length));
  const source = await openSource(input, opts.source);
  try {
    const desc = await source.describe(opts.signal);
    let done = 0;
    const request = opts.content;
    const companion = request && readsFiles(request) ? contentCompanion(request, opts.signal) : undefined;
    const catalog = await catalogImage(source, desc, {
      spillDir: opts.source.spoolDir,
      today: opts.today,
      ...(opts.cache ? { cache: opts.cache } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(companion ? { companion } : {}),
      onLayer: () => opts.onProgress?.(`cataloging layers ${++done}/${desc.layers.length}`),
    });
    const errors = catalog.walk.errors;
    // Nothing read at all is the first layer's failure, not a partial result.
    if (errors.length > 0 && errors.length === desc.layers.length) throw errors[0]!.error;
    const { os, packages, issues } = catalog.inventory;
    const layers = resultLayers(desc);
    const contents: InputContents = {
      image: imageRefOf(desc, os),
      layers,
      packages,
      issues,
      readFrom: `in ${desc.layers.length} layer${desc.layers.length === 1 ? '' : 's'}`,
    };
    if (request && request.scanners.size > 0) {
      const perLayer = catalog.companion;
      contents.content = contentOf(request, { desc, layers, packages, tree: catalog.walk.tree, perLayer });
    }
    if (os) contents.os = os;
    if (errors.length > 0)
      contents.incomplete = `${errors.length} of ${desc.layers.length} layers could not be read (${errors
        .map((e) => `layer ${e.layer.index}: ${e.error.message}`)
        .join('; ')})`;
    return contents;
  } finally {
    await source.close();
  }
}

export function resultLayers(desc: ImageDescription): ResultLayer[] {
  const { baseLayers } = inferBaseImage(desc.history, desc.labels);
  return desc.layers.map((l) => {
    const layer: ResultLayer = {
      index: l.index,
      digest: l.digest,
      diffId: l.diffId,
      size: l.size,
      base: l.index < baseLayers,
    };
    // Shown as it is in every output: a token on a RUN, ENV or ARG line must not reach them.
    if (l.createdBy) layer.createdBy = redactHistory(l.createdBy);
    if (l.created) layer.created = l.created;
    return layer;
  });
}

const FORMAT_NAMES = { cyclonedx: 'a CycloneDX SBOM', spdx: 'an SPDX SBOM', assay: 'an Assay SBOM' } as const;

async function readSbom(path: string): Promise<InputContents> {
  const sbom = await readSbomInput(path);
  const contents: InputContents = {
    image: sbomImageRef(sbom, path),
    layers: sbom.layers,
    packages: sbom.packages,
    issues: sbom.issues,
    readFrom: `from ${FORMAT_NAMES[sbom.format]}`,
  };
  if (sbom.os) contents.os = sbom.os;
  if (sbom.incomplete) contents.incomplete = sbom.incomplete;
  return contents;
}
