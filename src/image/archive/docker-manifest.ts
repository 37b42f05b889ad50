/**
 * The `manifest.json` of a `docker save` archive: a JSON array with one entry per image,
 * `{Config, RepoTags, Layers}` where the names are archive member paths. Docker < 25 writes
 * `<hex>.json` configs and `<layer-id>/layer.tar` uncompressed layers; skopeo writes
 * `<diffid-hex>.tar` (with `<id>/layer.tar` symlinks); Docker ≥ 25 writes an OCI layout beside
 * it and points at `blobs/sha256/<hex>`. See the Engine API's "Image tarball format"
 * (https://docs.docker.com/reference/api/engine/version/v1.45/#tag/Image/operation/ImageGet)
 * and moby image/tarexport.
 */
import { z } from 'zod';
import { AssayError } from '../../model/errors.js';
import { namingFromReference } from './identity.js';
import type { TarIndex } from './tar-index.js';

const MAX_MANIFEST_JSON = 8 << 20;

const entrySchema = z.object({
  Config: z.string().min(1),
  RepoTags: z.array(z.string()).nullable().optional(),
  Layers: z.array(z.string()),
});
export type DockerManifestEntry = z.infer<typeof entrySchema>;

export async function readDockerManifest(index: TarIndex, what: string): Promise<DockerManifestEntry[]> {
  let json: unknown;
  try {
    json = JSON.parse((await index.read('manifest.json', MAX_MANIFEST_JSON)).toString('utf8'));
  } catch (err) {
    if (err instanceof AssayError && err.code !== 'not-found') throw err;
    const why =
      err instanceof SyntaxError
        ? 'manifest.json is not valid JSON'
        : 'no manifest.json in the archive (not a `docker save` archive, or one from Docker < 1.10)';
    throw new AssayError('not-an-image', `${what}: ${why}`, { cause: err });
  }
  const r = z.array(entrySchema).safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new AssayError(
      'not-an-image',
      `${what}: manifest.json is malformed at ${first?.path.join('.') || 'top level'}: ${first?.message ?? ''}`,
    );
  }
  if (r.data.length === 0) throw new AssayError('not-an-image', `${what}: manifest.json lists no images`);
  return r.data;
}

/** `@0 (alpine:3.19), @1 (untagged)` — what a user can append to choose an image. */
export function describeEntries(entries: DockerManifestEntry[]): string {
  return entries
    .map((e, i) => `@${i} (${e.RepoTags?.length ? e.RepoTags.join(', ') : 'untagged'})`)
    .join(', ');
}

export interface DockerSelector {
  /** A RepoTag (`alpine:3.19`, normalised like Docker) or `@N`, skopeo's zero-based source index. */
  ref?: string | undefined;
  /** Choose by config digest (what an engine reports as the image Id). */
  imageId?: string | undefined;
}

/**
 * Picks one image. Without a selector the archive must hold exactly one (the rule skopeo
 * follows); otherwise the error lists what can be chosen. Returns the tag that matched.
 */
export function selectDockerEntry(
  entries: DockerManifestEntry[],
  sel: DockerSelector,
  what: string,
): { entry: DockerManifestEntry; tag?: string } {
  const listed = describeEntries(entries);
  const { ref, imageId } = sel;
  if (ref?.startsWith('@')) {
    const n = /^@\d+$/.test(ref) ? Number(ref.slice(1)) : -1;
    const entry = entries[n];
    if (!entry) throw new AssayError('not-found', `${what}: no image ${ref}; the archive holds ${listed}`);
    return { entry, ...(entry.RepoTags?.[0] ? { tag: entry.RepoTags[0] } : {}) };
  }
  if (ref !== undefined) {
    for (const entry of entries) {
      const tag = entry.RepoTags?.find((t) => t === ref || sameReference(t, ref));
      if (tag) return { entry, tag };
    }
    throw new AssayError('not-found', `${what}: no image tagged ${ref}; the archive holds ${listed}`);
  }
  if (imageId !== undefined) {
    const entry = entries.find((e) => configDigestFromName(e.Config) === imageId);
    if (entry) return { entry, ...(entry.RepoTags?.[0] ? { tag: entry.RepoTags[0] } : {}) };
  }
  if (entries.length > 1) {
    throw new AssayError(
      'usage',
      `${what} holds ${entries.length} images; choose one by appending :REPO:TAG or :@N (${listed})`,
    );
  }
  const entry = entries[0]!;
  return { entry, ...(entry.RepoTags?.[0] ? { tag: entry.RepoTags[0] } : {}) };
}

/** `blobs/sha256/<hex>` names its own content; anything else claims nothing. */
export function digestFromBlobName(name: string): string | undefined {
  const m = /^(?:\.\/)?blobs\/(sha256|sha512)\/([a-f0-9]{64}|[a-f0-9]{128})$/.exec(name);
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/** Configs are content-addressed in every variant: `<hex>.json` or `blobs/sha256/<hex>`. */
export function configDigestFromName(name: string): string | undefined {
  const m = /(?:^|\/)([a-f0-9]{64})\.json$/.exec(name);
  return m ? `sha256:${m[1]}` : digestFromBlobName(name);
}

/** RepoTags compare after Docker's normalisation: `alpine` = `alpine:latest` = `docker.io/library/alpine:latest`. */
function sameReference(a: string, b: string): boolean {
  const x = namingFromReference(a);
  const y = namingFromReference(b);
  return !!x && !!y && x.registry === y.registry && x.repository === y.repository && x.tag === y.tag;
}
