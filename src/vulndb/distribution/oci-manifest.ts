/**
 * Reading a DB artifact's manifest (see oci.ts for its shape): fetched by digest when the HEAD
 * told us one (a tag moved between HEAD and GET cannot mix two artifacts), digest-verified,
 * and checked to be an assay DB before anything large is downloaded. Anything else at the
 * reference (a container image, an index, another tool's artifact) is a clear error.
 */
import { z } from 'zod';
import { checkDigest, isDigest, sha256Digest } from '../../image/digest.js';
import { MEDIA_TYPES } from '../../image/manifest.js';
import type { RegistryClient } from '../../image/registry/client.js';
import { AssayError } from '../../model/errors.js';
import {
  DB_ARTIFACT_TYPE,
  DB_BUNDLE_MEDIA_TYPE,
  DB_METADATA_MEDIA_TYPE,
  DB_SIGNATURE_ANNOTATION,
  MAX_METADATA_BYTES,
} from './types.js';

const descriptor = z.object({
  mediaType: z.string(),
  digest: z.string().refine(isDigest, 'not a valid digest'),
  size: z.number().int().nonnegative(),
});
type Descriptor = z.infer<typeof descriptor>;

const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptor,
  layers: z.array(descriptor),
  annotations: z.record(z.string(), z.string()).optional(),
});

export interface DbManifest {
  digest: string;
  config: Descriptor;
  layer: Descriptor;
  signature?: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export async function parseDbManifest(
  client: RegistryClient,
  reference: string,
  signal?: AbortSignal,
): Promise<DbManifest> {
  const fetched = await client.getManifest(reference, signal);
  const what = `${client.label}: manifest`;
  if (isDigest(reference)) checkDigest(fetched.data, reference, what);
  const digest = isDigest(reference) ? reference : sha256Digest(fetched.data);
  const notDb = (why: string) =>
    new AssayError(
      'unsupported-media-type',
      `${client.label}: not an assay DB artifact (${why}); publish one with \`assay db push\``,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(fetched.data.toString('utf8'));
  } catch {
    throw notDb('the manifest is not JSON');
  }
  const parsed = manifestSchema.safeParse(doc);
  const kind = fetched.mediaType ?? (parsed.success ? parsed.data.mediaType : undefined);
  if (!parsed.success || (kind !== undefined && kind !== MEDIA_TYPES.ociManifest))
    throw notDb(`a ${kind ?? 'manifest of unknown kind'}`);
  const m = parsed.data;
  if (m.artifactType !== undefined && m.artifactType !== DB_ARTIFACT_TYPE)
    throw notDb(`artifact type ${m.artifactType}, expected ${DB_ARTIFACT_TYPE}`);
  if (m.config.mediaType !== DB_METADATA_MEDIA_TYPE)
    throw notDb(`config media type ${m.config.mediaType}, expected ${DB_METADATA_MEDIA_TYPE}`);
  const [layer, ...rest] = m.layers;
  if (!layer || rest.length > 0 || layer.mediaType !== DB_BUNDLE_MEDIA_TYPE)
    throw notDb(
      `layers ${m.layers.map((l) => l.mediaType).join(', ') || '(none)'}, expected one ${DB_BUNDLE_MEDIA_TYPE}`,
    );
  const signature = decodeSignature(m.annotations?.[DB_SIGNATURE_ANNOTATION], client.label);
  return { digest, config: m.config, layer, ...(signature ? { signature } : {}) };
}

function decodeSignature(value: string | undefined, label: string): Buffer | undefined {
  if (value === undefined) return undefined;
  if (!BASE64.test(value))
    throw new AssayError(
      'invalid-input',
      `${label}: the manifest annotation ${DB_SIGNATURE_ANNOTATION} is not base64`,
    );
  return Buffer.from(value, 'base64');
}

/** The config blob: the published metadata's exact bytes, bounded and digest-checked. */
export async function readMetadataBlob(
  client: RegistryClient,
  config: Descriptor,
  signal?: AbortSignal,
): Promise<Buffer> {
  const what = `DB metadata (${config.digest})`;
  if (config.size > MAX_METADATA_BYTES)
    throw new AssayError(
      'too-large',
      `${client.label}: ${what} is ${config.size} bytes, more than the ${MAX_METADATA_BYTES}-byte limit`,
    );
  const data = await client.readBlob(config.digest, MAX_METADATA_BYTES, what, signal);
  checkDigest(data, config.digest, `${client.label}: ${what}`);
  return data;
}
