/**
 * Assay's own SBOM document (`assay sbom --format json`): the image identity as `image inspect`
 * prints it, the detected OS, every package with its provenance, and the located issues.
 */
import { type InspectDocument, inspectDocument } from '../image/inspect.js';
import type { ImageDescription } from '../image/types.js';
import type { Issue } from '../model/issue.js';
import type { OsRelease } from '../model/os.js';
import type { Package } from '../model/package.js';
import type { ImageCatalog } from './catalog-image.js';

export const SBOM_SCHEMA_VERSION = 1;

export interface AssaySbom {
  schemaVersion: typeof SBOM_SCHEMA_VERSION;
  tool: { name: 'assay'; version: string };
  created: string;
  /** False when a layer could not be read: the package list is then partial. */
  complete: boolean;
  image: InspectDocument;
  os: OsRelease | null;
  packages: Package[];
  issues: Issue[];
  layerErrors: { layerIndex: number; diffId: string; message: string }[];
}

export function sbomDocument(
  desc: ImageDescription,
  catalog: ImageCatalog,
  version: string,
  created: string,
): AssaySbom {
  return {
    schemaVersion: SBOM_SCHEMA_VERSION,
    tool: { name: 'assay', version },
    created,
    complete: catalog.complete,
    image: inspectDocument(desc),
    os: catalog.inventory.os ?? null,
    packages: catalog.inventory.packages,
    issues: catalog.inventory.issues,
    layerErrors: catalog.walk.errors.map((e) => ({
      layerIndex: e.layer.index,
      diffId: e.layer.diffId,
      message: e.error.message,
    })),
  };
}
