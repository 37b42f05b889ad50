/**
 * The contract of the ready-built DB distribution (issue 12): what a published bundle looks like
 * on every transport, where a scanner pulls it from, and what a pull reports. A bundle is the
 * deterministic tar.gz of `assay db export` (bundle.ts); next to it sits a small published
 * metadata document, optionally signed (Ed25519 over its exact bytes).
 *
 * Transports, all carrying the same two documents:
 * - HTTP(S) / object store: `DIR/metadata.json` + the bundle file it names (`bundle.file`, resolved
 *   against the metadata URL) + optional `DIR/metadata.json.sig`.
 * - The manager: `GET /api/v1/db/metadata` (bundle.file = "bundle" → `GET /api/v1/db/bundle`) and
 *   `GET /api/v1/db/metadata.sig`; role scanner or higher (bearer token, sent only to that origin).
 * - OCI registry: an image manifest with `artifactType` DB_ARTIFACT_TYPE, the metadata document as
 *   its config blob (DB_METADATA_MEDIA_TYPE), the bundle as its only layer (DB_BUNDLE_MEDIA_TYPE),
 *   and the base64 signature in the manifest annotation DB_SIGNATURE_ANNOTATION.
 * - A local file: a bundle path (verified by the metadata inside it) or a directory holding
 *   metadata.json and the bundle.
 */
import { z } from 'zod';

export const DB_ARTIFACT_TYPE = 'application/vnd.assay.db.v1';
export const DB_METADATA_MEDIA_TYPE = 'application/vnd.assay.db.metadata.v1+json';
export const DB_BUNDLE_MEDIA_TYPE = 'application/vnd.assay.db.bundle.v1.tar+gzip';
export const DB_SIGNATURE_ANNOTATION = 'dev.assay.db.signature';
/** The published metadata's file name on HTTP servers and in directories. */
export const METADATA_FILE = 'metadata.json';
export const SIGNATURE_SUFFIX = '.sig';
/** Upper bound for a metadata document or signature read from any source. */
export const MAX_METADATA_BYTES = 4 * 1024 * 1024;

export const PublishedSourceSchema = z.looseObject({
  id: z.string(),
  importer: z.string(),
  records: z.number().int().min(0),
  importedAt: z.string(),
  /** The feed's own data date, when it states one (EPSS score date, NVD cursor day). */
  dataDate: z.string().optional(),
});

/** The published metadata document (metadata.json, the OCI config blob, GET /api/v1/db/metadata). */
export const PublishedMetadataSchema = z.object({
  mediaType: z.literal(DB_METADATA_MEDIA_TYPE),
  /** The DB schema version; a pull refuses a version this binary does not understand. */
  schemaVersion: z.number().int().min(1),
  builtAt: z.string().optional(),
  /** SHA-256 (hex) of the uncompressed `vulnerabilities.db` inside the bundle. */
  dbSha256: z.string().regex(/^[0-9a-f]{64}$/),
  bundle: z.object({
    /** Relative to the metadata document's URL or directory. */
    file: z.string().min(1),
    /** `sha256:<hex>` of the compressed bundle bytes (the OCI layer digest; the manager's ETag). */
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    size: z.number().int().min(1),
    compression: z.literal('gzip'),
  }),
  sources: z.array(PublishedSourceSchema),
});
export type PublishedMetadata = z.infer<typeof PublishedMetadataSchema>;

/** Where a DB is pulled from: `--from`, ASSAY_DB_REPOSITORY, config key `db-repository`. */
export type DbRepository =
  /** `url`: the metadata document's URL (a URL ending in `/` gets `metadata.json`). */
  | { kind: 'http'; url: string }
  /** `ref`: `REGISTRY/REPO:TAG` or `REGISTRY/REPO@sha256:…`, without `oci://`. */
  | { kind: 'oci'; ref: string }
  /** `path`: a bundle file or a directory holding metadata.json. */
  | { kind: 'file'; path: string };

/** What the DB directory remembers about the last pull (`<dbDir>/repository.json`), for conditional checks. */
export const PullStateSchema = z.object({
  /** The repository as the user wrote it. */
  source: z.string(),
  /** The metadata document's ETag (HTTP, manager). */
  etag: z.string().optional(),
  /** The manifest digest (OCI). */
  manifestDigest: z.string().optional(),
  bundleDigest: z.string(),
  dbSha256: z.string(),
  pulledAt: z.string(),
  /** The published metadata pulled (optional, added by pull.ts): what an 'unchanged' outcome reports. */
  metadata: PublishedMetadataSchema.optional(),
  /**
   * The DB file as the pull left it (optional, added by pull.ts): a DB rebuilt or imported since
   * (another inode, size or mtime) is not the pulled one, so the next pull must not call it unchanged.
   */
  dbFile: z.object({ size: z.number(), mtimeMs: z.number(), ino: z.number() }).optional(),
  /** The public key the pull was verified with (optional, added by pull.ts): configuring another key forces a verified pull. */
  publicKey: z.string().optional(),
});
export type PullState = z.infer<typeof PullStateSchema>;
export const PULL_STATE_FILE = 'repository.json';

export interface PullOptions {
  /** The DB directory (`vulnerabilities.db` + repository.json); replaced atomically under the build lock. */
  dbDir: string;
  /** An Ed25519 public key (PEM text): the metadata's signature must verify, else the pull fails. */
  publicKey?: string;
  /** A bearer token sent only to this origin (the manager's `--apiurl`). */
  auth?: { origin: string; token: string };
  /** Registry options reused from the image access code (insecure registries, docker config, credentials). */
  insecureRegistries?: string[];
  /** Bytes so far and total (when known), for a progress bar. */
  onProgress?(done: number, total: number | undefined): void;
  /** One line per event a user should see on stderr (trying a source, falling back, resuming). */
  onMessage?(line: string): void;
  signal?: AbortSignal;
  /** Per-request idle timeout (default 30 s). */
  timeoutMs?: number;
  /** Retries of one request (HTTP transport) and the first backoff step (optional, added by http.ts; tests shorten them). */
  retry?: { retries?: number; backoffMs?: number };
  /**
   * Registry credentials for `oci://` sources (optional, added by oci.ts): `--username/--password`
   * and another docker config directory; without them, the docker config and its helpers are used.
   */
  registryCredentials?: { username?: string; password?: string; dockerConfigDir?: string };
}

export interface PullOutcome {
  status: 'updated' | 'unchanged';
  /** The repository that answered, as the user wrote it. */
  source: string;
  metadata: PublishedMetadata;
  /** Bytes downloaded in this run (0 when unchanged). */
  downloaded: number;
}

/** `oci://…` → oci; `http(s)://…` → http; anything else a local path. */
export function parseDbRepository(value: string): DbRepository {
  if (value.startsWith('oci://')) return { kind: 'oci', ref: value.slice('oci://'.length) };
  if (/^https?:\/\//i.test(value))
    return { kind: 'http', url: value.endsWith('/') ? `${value}${METADATA_FILE}` : value };
  return { kind: 'file', path: value };
}

/** A candidate DB fetched from one repository, not yet verified beyond its transport digest. */
export interface FetchedCandidate {
  /** The published metadata document's exact bytes (what a signature covers). */
  metadataBytes: Buffer;
  /** The raw Ed25519 signature over `metadataBytes`, when the source publishes one. */
  signature?: Buffer;
  /** The bundle in a temporary file beside the DB directory; the orchestrator removes it. */
  bundleFile: string;
  /** Validators to remember for the next conditional check. */
  etag?: string;
  manifestDigest?: string;
  downloaded: number;
}

/**
 * One transport (http.ts, oci.ts, file.ts). Given the last pull's state it either answers
 * 'unchanged' after one small request (ETag / manifest digest / bundle digest equal), or fetches
 * the metadata, the signature (when published) and the bundle into `tempDir`, resuming a dropped
 * download and checking the bundle's digest and size against the metadata before returning.
 * Every failure is an AssayError naming the source and the problem; partial files are removed.
 */
export type DbFetcher = (
  repo: DbRepository,
  state: PullState | undefined,
  opts: PullOptions & { tempDir: string; wantSignature: boolean },
) => Promise<'unchanged' | FetchedCandidate>;
