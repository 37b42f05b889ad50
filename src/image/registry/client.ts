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
import { type HttpRequest, type HttpResponse, Transport, type TransportOptions } from './transport.js';

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
  /** Ask for push access (uploads): token scope `repository:NAME:pull,push`. */
  push?: boolean | undefined;
}

export interface ManifestHead {
  digest: string | undefined;
  mediaType: string | undefined;
  size: number | undefined;
}

export interface RegistryRequest {
  method?: HttpRequest['method'];
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Statuses besides 2xx handed back to the caller instead of thrown (404 of an existence check). */
  allow?: readonly number[];
  /** What a 404 means for this request, for the error. */
  notFound?: string;
  /** Overrides the transport's retries: 0 for requests that are not safe to repeat blindly. */
  retries?: number;
  signal?: AbortSignal | undefined;
  /** Safe requests only: may stand in for the `/v2/` ping. */
  probe?: boolean;
}

interface Probe {
  path: string;
  method: NonNullable<HttpRequest['method']>;
  headers: Record<string, string>;
}

interface Probed {
  base: URL;
  res: HttpResponse | undefined;
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
      push: opts.push,
    });
  }

  /** The repository's name on the registry (`app/x`). */
  get repository(): string {
    return this.opts.repository;
  }

  /** The reference named in every error. */
  get label(): string {
    return this.opts.label;
  }

  /** `GET /v2/` once: picks https or (where allowed) http, and learns the auth scheme. */
  private async ping(signal?: AbortSignal): Promise<URL> {
    return (await this.pingWith({ path: '/v2/', method: 'GET', headers: {} }, signal)).base;
  }

  /**
   * The ping, or a safe request standing in for it (a manifest HEAD: an unchanged tag then costs
   * one request). Returns that request's response when this call made the probe and the
   * registry did not ask for authentication.
   */
  private async pingWith(first: Probe, signal?: AbortSignal): Promise<Probed> {
    if (this.base) return { base: await this.base, res: undefined };
    const probe = this.probe(first, signal);
    const base = probe.then((p) => p.base);
    this.base = base;
    base.catch(() => {
      if (this.base === base) this.base = undefined; // a failed ping (an abort) must not stick
    });
    return probe;
  }

  private async probe(first: Probe, signal?: AbortSignal): Promise<Probed> {
    const host = apiHost(this.opts.registry);
    const what = this.opts.label;
    const req = { method: first.method, headers: first.headers, signal, what };
    let res: HttpResponse;
    const fallback = this.transport.opts.allowHttp(host);
    try {
      // With an http fallback, a failed https attempt is not worth retrying first.
      const retries = fallback ? 0 : undefined;
      res = await this.transport.send({ ...req, url: new URL(first.path, `https://${host}`), retries });
    } catch (err) {
      if (!isAssayError(err, 'network')) throw err;
      if (!fallback) throw httpsHint(err, host);
      res = await this.transport.send({ ...req, url: new URL(first.path, `http://${host}`) });
    }
    const base = new URL('/', res.url);
    if (res.status === 401) this.auth.learn(res.headers['www-authenticate']);
    else if (res.status >= 500) throw await responseError(res, what);
    else if (first.path !== '/v2/') return { base, res };
    res.body.resume();
    return { base, res: undefined };
  }

  /**
   * One request to this repository's registry with authorization and one re-authorization on
   * 401. `target` is a path or an absolute URL the registry handed out (an upload's Location);
   * credentials only go to the registry's own origin. Non-2xx statuses not in `allow` throw.
   */
  async request(target: string, what: string, req: RegistryRequest = {}): Promise<HttpResponse> {
    const { signal, method = 'GET', headers = {} } = req;
    let res: HttpResponse | undefined;
    let base: URL;
    if (req.probe) ({ base, res } = await this.pingWith({ path: target, method, headers }, signal));
    else base = await this.ping(signal);
    const url = new URL(target, base);
    const send = (authorization: string | undefined) =>
      this.transport.send({
        url,
        method,
        headers: authorization && url.origin === base.origin ? { ...headers, authorization } : headers,
        body: req.body,
        signal,
        what,
        retries: req.retries,
      });
    let first: string | undefined;
    if (!res) {
      first = await this.auth.authorization(signal);
      res = await send(first);
    }
    if (res.status === 401) {
      res.body.resume();
      res = await send(await this.auth.retryAuthorization(res.headers['www-authenticate'], first, signal));
      if (res.status === 401) {
        res.body.resume();
        throw this.auth.unauthorized();
      }
    }
    if ((res.status >= 200 && res.status < 300) || req.allow?.includes(res.status)) return res;
    const err = await responseError(res, what, req.notFound);
    if (res.status !== 403) throw err;
    const access = this.opts.push ? 'pull,push' : 'pull';
    throw new AssayError(
      'forbidden',
      `${err.message}; authenticated ${this.auth.identity()}, asked for ${access}`,
    );
  }

  /** A GET with authorization; one re-authorization on 401; any non-2xx becomes an error. */
  private get(
    path: string,
    headers: Record<string, string>,
    what: string,
    notFound: string,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    return this.request(path, what, { headers, notFound, signal });
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
  async openBlob(
    digest: string,
    what: string,
    signal?: AbortSignal,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const notFound = `blob missing from repository ${this.opts.repository}`;
    return this.get(
      `/v2/${this.opts.repository}/blobs/${digest}`,
      headers,
      `${this.opts.label}: ${what}`,
      notFound,
      signal,
    );
  }

  /**
   * `HEAD /v2/<name>/manifests/<ref>`: the digest without the body. Made before any ping, it is
   * the ping, so a conditional check against an unchanged tag costs a single request.
   */
  async headManifest(reference: string, notFound: string, signal?: AbortSignal): Promise<ManifestHead> {
    const what = `${this.opts.label}: manifest ${reference}`;
    const path = `/v2/${this.opts.repository}/manifests/${reference}`;
    const res = await this.request(path, what, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT },
      notFound,
      signal,
      probe: true,
    });
    res.body.resume();
    const digest = res.headers['docker-content-digest'];
    const size = Number(res.headers['content-length']);
    return {
      digest: typeof digest === 'string' && isDigest(digest) ? digest : undefined,
      mediaType: res.headers['content-type']?.split(';')[0]?.trim() || undefined,
      size: Number.isSafeInteger(size) ? size : undefined,
    };
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
