/**
 * The published metadata document (types.ts `PublishedMetadata`): built from an export, written
 * deterministically (the same DB gives the same bytes, so a signature, an ETag and a mirror's
 * cache all stay stable), and read back from any source with a size bound, a JSON check, the
 * schema-version check first (a newer document may have another shape) and then the schema.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { AssayError, errorMessage } from '../../model/errors.js';
import type { ExportResult } from '../bundle.js';
import { DB_SCHEMA_VERSION } from '../types.js';
import {
  DB_METADATA_MEDIA_TYPE,
  MAX_METADATA_BYTES,
  type PublishedMetadata,
  PublishedMetadataSchema,
} from './types.js';

/** The bundle file as published: its name relative to the metadata, its digest and size. */
export interface PublishedBundle {
  file: string;
  /** `sha256:<hex>` of the compressed bytes. */
  digest: string;
  size: number;
}

/** A source as the export reports it (SourceInfo, or the looser entries of a bundle's inner metadata). */
interface ExportedSource {
  id: string;
  importer: string;
  records?: unknown;
  importedAt?: unknown;
  dataDate?: unknown;
}

export function buildPublishedMetadata(
  exported: Omit<ExportResult['metadata'], 'sources'> & { sources: readonly ExportedSource[] },
  bundle: PublishedBundle,
): PublishedMetadata {
  // Only what a puller needs to judge freshness: feed URLs and validators may name internal mirrors.
  const sources = [...exported.sources]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((s) => ({
      id: s.id,
      importer: s.importer,
      records: typeof s.records === 'number' ? s.records : 0,
      importedAt: typeof s.importedAt === 'string' ? s.importedAt : '',
      ...(typeof s.dataDate === 'string' ? { dataDate: s.dataDate } : {}),
    }));
  return {
    mediaType: DB_METADATA_MEDIA_TYPE,
    schemaVersion: exported.schemaVersion,
    ...(exported.builtAt ? { builtAt: exported.builtAt } : {}),
    dbSha256: exported.sha256,
    bundle: { file: bundle.file, digest: bundle.digest, size: bundle.size, compression: 'gzip' },
    sources,
  };
}

/** Fixed key order (the schema's), two-space indent, one final newline. */
export function serializeMetadata(metadata: PublishedMetadata): Buffer {
  const m = PublishedMetadataSchema.parse(metadata);
  const ordered = {
    mediaType: m.mediaType,
    schemaVersion: m.schemaVersion,
    ...(m.builtAt !== undefined ? { builtAt: m.builtAt } : {}),
    dbSha256: m.dbSha256,
    bundle: {
      file: m.bundle.file,
      digest: m.bundle.digest,
      size: m.bundle.size,
      compression: m.bundle.compression,
    },
    sources: m.sources.map((s) => ({
      id: s.id,
      importer: s.importer,
      records: s.records,
      importedAt: s.importedAt,
      ...(s.dataDate !== undefined ? { dataDate: s.dataDate } : {}),
    })),
  };
  return Buffer.from(`${JSON.stringify(ordered, null, 2)}\n`);
}

/** Reads a metadata document fetched from `source` (a URL, reference or path, for messages). */
export function parsePublishedMetadata(bytes: Buffer, source: string): PublishedMetadata {
  if (bytes.length > MAX_METADATA_BYTES)
    throw new AssayError(
      'too-large',
      `${source}: the DB metadata is ${bytes.length} bytes, more than the ${MAX_METADATA_BYTES}-byte limit`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new AssayError('invalid-input', `${source}: the DB metadata is not JSON: ${errorMessage(err)}`);
  }
  checkSchemaVersion(doc, source);
  const parsed = PublishedMetadataSchema.safeParse(doc);
  if (!parsed.success)
    throw new AssayError(
      'invalid-input',
      `${source}: not an assay DB metadata document: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

function checkSchemaVersion(doc: unknown, source: string): void {
  if (typeof doc !== 'object' || doc === null || !('schemaVersion' in doc)) return;
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || version === DB_SCHEMA_VERSION) return;
  if (version > DB_SCHEMA_VERSION)
    throw new AssayError(
      'database',
      `${source}: the DB was published with DB schema ${version}; this assay reads schema ${DB_SCHEMA_VERSION}: upgrade assay`,
    );
  throw new AssayError(
    'database',
    `${source}: the DB was published with DB schema ${version}; this assay reads schema ${DB_SCHEMA_VERSION}: the publisher runs an older assay and must upgrade and publish again`,
  );
}

/** `sha256:<hex>` of a file: the bundle digest of the metadata, the OCI layer digest. */
export async function sha256Digest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
