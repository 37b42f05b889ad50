/**
 * `registry:REF`: an image pulled over the OCI Distribution API. `describe()` resolves the tag
 * or digest to a manifest (an index picks the wanted platform), verifies every manifest and
 * the config against its digest, and describes the image; `openLayer()` streams a layer blob
 * through a DigestVerifier. Nothing touches the disk.
 */
import type { Readable } from 'node:stream';
import { AssayError, wrapError } from '../../model/errors.js';
import { checkDigest, sha256Digest } from '../digest.js';
import {
  type Descriptor,
  describeImage,
  type ImageManifest,
  parseImageConfig,
  parseManifest,
} from '../manifest.js';
import { formatPlatform, hostPlatform, selectPlatform } from '../platform.js';
import { formatReference, type ImageReference } from '../reference.js';
import { RegistryClient } from '../registry/client.js';
import { streamLayer } from '../registry/layer-stream.js';
import type { ImageDescription, ImageSource, LayerRef, Platform } from '../types.js';

export interface RegistryOptions {
  /** Platform to pick from an index; default: the host's (`hostPlatform()`). */
  platform?: Platform | undefined;
  /** Hosts (`host` or `host:port`) allowed over plain http besides loopback. */
  insecureRegistries?: string[] | undefined;
  /** Directory holding Docker's config.json; default `$DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfigDir?: string | undefined;
  /** Explicit credentials; they take precedence over config.json. */
  username?: string | undefined;
  password?: string | undefined;
  /** Socket idle timeout per request (connect, headers, gaps in a body); default 30 s. */
  timeoutMs?: number | undefined;
  /** Extra attempts on 429, 5xx and connection resets; default 3. */
  retries?: number | undefined;
  userAgent?: string | undefined;
  /** Upper bound on a server's Retry-After; default 60 s. */
  maxRetryAfterMs?: number | undefined;
  /** First backoff step without Retry-After (doubles per attempt, jittered); default 500 ms. */
  backoffMs?: number | undefined;
  /** Upper bound on an image config blob; default 32 MiB. */
  maxConfigBytes?: number | undefined;
}

interface Resolved {
  topDigest: string;
  manifestDigest: string;
  manifest: ImageManifest;
}

/** Content fetched by descriptor must have its size and digest (image-spec descriptor.md). */
function checkBlob(data: Buffer, desc: Descriptor, what: string): void {
  if (data.length !== desc.size) {
    throw new AssayError(
      'digest-mismatch',
      `${what}: got ${data.length} bytes, the descriptor says ${desc.size}`,
    );
  }
  checkDigest(data, desc.digest, what);
}

export function openRegistrySource(
  input: string,
  ref: ImageReference,
  opts: RegistryOptions = {},
): ImageSource {
  return new RegistrySource(input, ref, opts);
}

class RegistrySource implements ImageSource {
  readonly kind = 'registry';
  private readonly label: string;
  private readonly client: RegistryClient;
  /** Layer descriptors from describe(), for the `urls` of non-distributable layers. */
  private readonly descriptors = new Map<string, Descriptor>();

  constructor(
    private readonly input: string,
    private readonly ref: ImageReference,
    private readonly opts: RegistryOptions,
  ) {
    this.label = formatReference(ref);
    this.client = new RegistryClient({
      registry: ref.registry,
      repository: ref.repository,
      label: this.label,
      insecureRegistries: opts.insecureRegistries,
      credentials: {
        username: opts.username,
        password: opts.password,
        dockerConfigDir: opts.dockerConfigDir,
      },
      timeoutMs: opts.timeoutMs,
      retries: opts.retries,
      userAgent: opts.userAgent,
      maxRetryAfterMs: opts.maxRetryAfterMs,
      backoffMs: opts.backoffMs,
    });
  }

  async describe(signal?: AbortSignal): Promise<ImageDescription> {
    try {
      return await this.load(signal);
    } catch (err) {
      // Ours already name the image; anything else (an AbortError from a backoff sleep) gets it.
      throw err instanceof AssayError ? err : wrapError(err, this.label);
    }
  }

  async openLayer(layer: LayerRef, signal?: AbortSignal): Promise<Readable> {
    const urls = this.descriptors.get(layer.digest)?.urls ?? [];
    try {
      return await streamLayer(this.client, this.label, layer, urls, signal);
    } catch (err) {
      throw err instanceof AssayError ? err : wrapError(err, `${this.label}: layer ${layer.index}`);
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }

  /** Tag or digest → the platform's image manifest, every document checked against its digest. */
  private async resolve(signal?: AbortSignal): Promise<Resolved> {
    const { ref, label, client } = this;
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const top = await client.getManifest(reference, signal);
    // By digest, the digest we asked for is the truth; by tag, the registry's header when sent
    // (distribution-spec "Pulling manifests": clients SHOULD verify it), else our own hash.
    const expected = ref.digest ?? top.digest;
    if (expected) checkDigest(top.data, expected, `${label}: manifest ${reference}`);
    const topDigest = expected ?? sha256Digest(top.data);
    const parsed = parseManifest(top.data, top.mediaType, `${label}: manifest ${reference}`);
    if (parsed.kind === 'image') return { topDigest, manifestDigest: topDigest, manifest: parsed.manifest };
    const wanted = this.opts.platform ?? hostPlatform();
    const chosen = selectPlatform(parsed.index.manifests, wanted, `${label} (index ${topDigest})`);
    const what = `${label}: manifest ${chosen.digest} for ${formatPlatform(wanted)}`;
    const child = await client.getManifest(chosen.digest, signal);
    checkBlob(child.data, chosen, what);
    const inner = parseManifest(child.data, chosen.mediaType, what);
    if (inner.kind !== 'image') {
      throw new AssayError('not-an-image', `${what}: an index inside an index is not supported`);
    }
    return { topDigest, manifestDigest: chosen.digest, manifest: inner.manifest };
  }

  private async load(signal?: AbortSignal): Promise<ImageDescription> {
    const { ref, label } = this;
    const { topDigest, manifestDigest, manifest } = await this.resolve(signal);
    const configWhat = `config ${manifest.config.digest}`;
    const maxConfig = this.opts.maxConfigBytes ?? 32 * 1024 * 1024;
    if (manifest.config.size > maxConfig) {
      throw new AssayError(
        'too-large',
        `${label}: ${configWhat} declares ${manifest.config.size} bytes, over ${maxConfig}`,
      );
    }
    const configData = await this.client.readBlob(manifest.config.digest, maxConfig, configWhat, signal);
    checkBlob(configData, manifest.config, `${label}: ${configWhat}`);
    const config = parseImageConfig(configData, `${label}: ${configWhat}`);
    this.descriptors.clear();
    for (const layer of manifest.layers) this.descriptors.set(layer.digest, layer);
    return describeImage({
      input: this.input,
      source: 'registry',
      registry: ref.registry,
      repository: ref.repository,
      tag: ref.tag,
      repoDigest: `${ref.registry}/${ref.repository}@${topDigest}`,
      manifestDigest,
      configDigest: manifest.config.digest,
      config,
      layerBlobs: manifest.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
    });
  }
}
