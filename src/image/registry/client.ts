/**
 * A client for one repository on an OCI Distribution registry
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md): the `/v2/` ping,
 * manifests, blobs. It authenticates (auth.ts), retries (transport.ts) and maps failures to
 * AssayErrors that name the image. Safe for concurrent use: requests share the transport's
 * connection pool and one token cache.
 */
import { AssayError, isAssayError } from '../../model/errors.js';
import { isDigest } from '../digest.js';
import { MANIFEST_ACCEPT } from '../manifest.js';
import { RegistryAuth } from './auth.js';
import { type CredentialOptions, dockerConfigPath, findCredentials } from './credentials.js';
import { readBody, responseError } from './responses.js';
import { type HttpResponse, Transport, type TransportOptions } from './transport.js';

export interface RegistryClientOptions {
  /** Registry as in the reference: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  repository: string;
  /** The image reference, named in every error. */
  label: string;
  insecureRegistries?: string[] | undefined;
  credentials?: CredentialOptions | undefined;
  timeoutMs?: number | undefined;
  retries?: number | undefined;
  userAgent?: string | undefined;
  maxRetryAfterMs?: number | undefined;
  backoffMs?: number | undefined;
}

export interface FetchedManifest {
  data: Buffer;
  /** Content-Type without parameters, if sent. */
  mediaType: string | undefined;
  /** `Docker-Content-Digest`, if sent. */
  digest: string | undefined;
}

// distribution-spec: registries SHOULD accept manifests of at least 4 MiB; allow some headroom.
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Docker Hub serves the API on another host than its name (see docker/distribution-library-image). */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/** Plain http only for loopback hosts and registries the user listed (`--insecure-registry`). */
export function isHttpAllowed(host: string, insecure: readonly string[] = []): boolean {
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  if (LOOPBACK.has(hostname.toLowerCase())) return true;
  return insecure.some((entry) => {
    const e = entry
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/\/+$/, '')
      .toLowerCase();
    return e === host.toLowerCase() || e === hostname.toLowerCase();
  });
}

export class RegistryClient {
  readonly transport: Transport;
  private readonly auth: RegistryAuth;
  private base: Promise<URL> | undefined;

  constructor(private readonly opts: RegistryClientOptions) {
    const insecure = opts.insecureRegistries ?? [];
    const transportOptions: TransportOptions = {
      timeoutMs: opts.timeoutMs ?? 30_000,
      retries: opts.retries ?? 3,
      userAgent: opts.userAgent ?? 'assay',
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 60_000,
      backoffMs: opts.backoffMs ?? 500,
      allowHttp: (host) => isHttpAllowed(host, insecure),
    };
    this.transport = new Transport(transportOptions);
    const credentials = opts.credentials ?? {};
    this.auth = new RegistryAuth({
      registry: opts.registry,
      repository: opts.repository,
      label: opts.label,
      transport: this.transport,
      credentials: () => findCredentials(opts.registry, credentials),
      credentialHint: dockerConfigPath(credentials.dockerConfigDir),
    });
  }

  /** `GET /v2/` once: picks https or (where allowed) http, and learns the auth scheme. */
  private ping(signal?: AbortSignal): Promise<URL> {
    if (this.base) return this.base;
    const probe = this.probe(signal);
    this.base = probe;
    probe.catch(() => {
      if (this.base === probe) this.base = undefined; // a failed ping (an abort) must not stick
    });
    return probe;
  }

  private async probe(signal?: AbortSignal): Promise<URL> {
    const host = apiHost(this.opts.registry);
    const what = this.opts.label;
    let res: HttpResponse;
    const fallback = this.transport.opts.allowHttp(host);
    try {
      // With an http fallback, a failed https attempt is not worth retrying first.
      const retries = fallback ? 0 : undefined;
      res = await this.transport.send({ url: new URL(`https://${host}/v2/`), signal, what, retries });
    } catch (err) {
      if (!isAssayError(err, 'network')) throw err;
      if (!fallback) throw httpsHint(err, host);
      res = await this.transport.send({ url: new URL(`http://${host}/v2/`), signal, what });
    }
    res.body.resume();
    if (res.status === 401) this.auth.learn(res.headers['www-authenticate']);
    else if (res.status >= 500) throw await responseError(res, what);
    return new URL('/', res.url);
  }

  /** A GET with authorization; one re-authorization on 401; any non-2xx becomes an error. */
  private async get(
    path: string,
    headers: Record<string, string>,
    what: string,
    notFound: string,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    const url = new URL(path, await this.ping(signal));
    const send = (authorization: string | undefined) =>
      this.transport.send({
        url,
        headers: authorization ? { ...headers, authorization } : headers,
        signal,
        what,
      });
    const first = await this.auth.authorization(signal);
    let res = await send(first);
    if (res.status === 401) {
      res.body.resume();
      res = await send(await this.auth.retryAuthorization(res.headers['www-authenticate'], first, signal));
      if (res.status === 401) {
        res.body.resume();
        throw this.auth.unauthorized();
      }
    }
    if (res.status >= 200 && res.status < 300) return res;
    throw await responseError(res, what, notFound);
  }

  /** `GET /v2/<name>/manifests/<tag or digest>`, any manifest kind we understand. */
  async getManifest(reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const { label, repository } = this.opts;
    const what = `${label}: manifest ${reference}`;
    const notFound = reference.includes(':')
      ? `no such manifest in repository ${repository}`
      : `tag ${JSON.stringify(reference)} not found in repository ${repository}, or the repository does not exist`;
    const path = `/v2/${repository}/manifests/${reference}`;
    const res = await this.get(path, { accept: MANIFEST_ACCEPT }, what, notFound, signal);
    const data = await readBody(res.body, MAX_MANIFEST_BYTES, what);
    const contentType = res.headers['content-type']?.split(';')[0]?.trim();
    const digest = res.headers['docker-content-digest'];
    return {
      data,
      mediaType: contentType || undefined,
      // A malformed header is ignored (we then hash the content ourselves), not trusted.
      digest: typeof digest === 'string' && isDigest(digest) ? digest : undefined,
    };
  }

  /** `GET /v2/<name>/blobs/<digest>`; the caller verifies and consumes the body. */
  async openBlob(digest: string, what: string, signal?: AbortSignal): Promise<HttpResponse> {
    const notFound = `blob missing from repository ${this.opts.repository}`;
    return this.get(
      `/v2/${this.opts.repository}/blobs/${digest}`,
      {},
      `${this.opts.label}: ${what}`,
      notFound,
      signal,
    );
  }

  async readBlob(digest: string, maxBytes: number, what: string, signal?: AbortSignal): Promise<Buffer> {
    const res = await this.openBlob(digest, what, signal);
    return readBody(res.body, maxBytes, `${this.opts.label}: ${what}`);
  }

  /** A non-distributable layer's external URL: no registry credentials go there. */
  async openUrl(url: string, what: string, signal?: AbortSignal): Promise<HttpResponse> {
    const target = new URL(url);
    const full = `${this.opts.label}: ${what} from ${target.origin}`;
    if (
      target.protocol !== 'https:' &&
      !(target.protocol === 'http:' && this.transport.opts.allowHttp(target.host))
    ) {
      throw new AssayError('network', `${full}: only https URLs are fetched`);
    }
    const res = await this.transport.send({ url: target, signal, what: full });
    if (res.status === 200) return res;
    throw await responseError(res, full);
  }

  close(): void {
    this.transport.close();
  }
}

/** A TLS failure against a host not allowed plain http: most likely an http-only registry. */
function httpsHint(err: AssayError, host: string): AssayError {
  const cause = err.cause;
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : '';
  const tls =
    code === 'EPROTO' || code.startsWith('ERR_SSL') || /wrong version number|ssl|tls/i.test(err.message);
  if (!tls) return err;
  return new AssayError(
    'network',
    `${err.message}; ${host} does not seem to speak HTTPS: if it is a plain-HTTP registry you trust, allow it with --insecure-registry ${host}`,
    { cause: err },
  );
}
