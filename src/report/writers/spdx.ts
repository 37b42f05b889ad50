/**
 * `--format spdx-json`: the image's SPDX 2.3 document, exactly as `assay sbom` writes it
 * (../sbom/spdx.ts). SPDX 2.3 has no place for vulnerabilities, so none are added; a scan
 * status other than `scanned` becomes one more annotation, so an empty package list of an
 * image that was never read is not taken for an empty image. One image gives one document,
 * several give a JSON array of documents (as for CycloneDX).
 */
import type { ImageResult } from '../../model/result.js';
import { type SpdxDocument, writeSpdx } from '../sbom/spdx.js';
import type { WriteOptions } from '../writer.js';
import { oneOrMany, sbomInputOf, statusNote } from './sbom-input.js';

export function writeSpdxReport(doc: { images: ImageResult[] }, opts: Pick<WriteOptions, 'now'>): string {
  return oneOrMany(doc.images.map((image) => spdxOf(image, opts.now)));
}

export function spdxOf(result: ImageResult, now?: Date): SpdxDocument {
  const input = sbomInputOf(result, now);
  const spdx = writeSpdx(input);
  const note = statusNote(result);
  if (!note) return spdx;
  const annotation = {
    annotationDate: input.timestamp,
    annotationType: 'OTHER' as const,
    annotator: `Tool: ${input.tool.name}-${input.tool.version}`,
    comment: `scan status ${result.status}: ${note}`,
  };
  return { ...spdx, annotations: [...(spdx.annotations ?? []), annotation] };
}
