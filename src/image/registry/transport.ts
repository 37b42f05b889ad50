/**
 * HTTP for the registry client on node:http/https (not fetch): we need per-host TLS settings
 * for insecure registries, a socket idle timeout that also covers slow bodies, manual redirects
 * (to drop credentials on a host change) and plain Node streams for layer blobs.
 *
 * One `Transport` owns keep-alive agents shared by all concurrent requests of a source.
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { AssayError } from '../../model/errors.js';
import { retryDelayMs, shouldRetryError, shouldRetryStatus } from './retry.js';

export interface TransportOptions {
  /** Socket idle limit in ms: connect, waiting for headers, and every gap in a body. */
  timeoutMs: number;
  /** Extra attempts after the first for retryable failures. */
  retries: number;
  userAgent: string;
  /** Upper bound for a server's Retry-After, so a registry cannot park us for hours. */
  maxRetryAfterMs: number;
  /** First backoff step; later ones double, with full jitter. */
  backoffMs: number;
  /** Whether plain http is acceptable for `host` (redirect targets are checked with it too). */
  allowHttp: (host: string) => boolean;
}

export interface HttpRequest {
  url: URL;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal | undefined;
  /** What the request is for, used in error messages ("127.0.0.1:5000/app:1: manifest 1"). */
  what: string;
  /** Overrides TransportOptions.retries (e.g. 0 for a probe with a fallback of its own). */
  retries?: number | undefined;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
  /** The URL that answered, after redirects. */
  url: URL;
}

const MAX_REDIRECTS = 10;

export class Transport {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  // Docker skips certificate checks for registries the user declared insecure; so do we.
  private readonly insecureAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

  constructor(readonly opts: TransportOptions) {}

  /** Sends with redirects and retries; any status is returned, the caller maps errors. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const retries = req.retries ?? this.opts.retries;
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.follow(req);
      } catch (err) {
        if (attempt >= retries || req.signal?.aborted || !shouldRetryError(err)) throw err;
        await sleep(retryDelayMs(undefined, attempt, this.opts), undefined, { signal: req.signal });
        continue;
      }
      if (attempt >= retries || !shouldRetryStatus(res.status)) return res;
      res.body.resume();
      await sleep(retryDelayMs(res.headers['retry-after'], attempt, this.opts), undefined, {
        signal: req.signal,
      });
    }
  }

  /** Follows redirects (blob storage, CDNs), never carrying Authorization to another origin. */
  private async follow(req: HttpRequest): Promise<HttpResponse> {
    let current = req;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const res = await this.once(current);
      const location = res.headers.location;
      if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
      res.body.resume();
      const next = new URL(location, current.url);
      if (next.protocol === 'http:' && !this.opts.allowHttp(next.host)) {
        throw new AssayError('network', `${req.what}: refusing redirect to insecure ${next.origin}`);
      }
      const headers = { ...current.headers };
      if (next.origin !== current.url.origin) delete headers.authorization;
      // 307/308 repeat the request as it was (RFC 9110 §15.4.8); the others become a GET.
      if (res.status === 307 || res.status === 308) current = { ...current, url: next, headers };
      else {
        current = { ...current, url: next, headers, method: current.method === 'HEAD' ? 'HEAD' : 'GET' };
        delete current.body;
      }
    }
    throw new AssayError('registry', `${req.what}: more than ${MAX_REDIRECTS} redirects`);
  }

  private agentFor(url: URL): http.Agent {
    if (url.protocol === 'http:') return this.httpAgent;
    return this.opts.allowHttp(url.host) ? this.insecureAgent : this.httpsAgent;
  }

  /** One HTTP exchange; resolves at the response headers, the body streams afterwards. */
  private once(req: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const client = req.url.protocol === 'https:' ? https : http;
      const headers = { 'user-agent': this.opts.userAgent, ...req.headers };
      const r = client.request(req.url, {
        method: req.method ?? 'GET',
        headers,
        agent: this.agentFor(req.url),
      });
      let response: http.IncomingMessage | undefined;
      r.setTimeout(this.opts.timeoutMs, () => {
        const phase = response ? 'while reading the response' : 'waiting for a response';
        const err = new AssayError(
          'timeout',
          `${req.what}: no data from ${req.url.host} for ${this.opts.timeoutMs} ms ${phase}`,
        );
        response?.destroy(err);
        r.destroy(err);
      });
      const onAbort = () => {
        const err = new AssayError('aborted', `${req.what}: aborted`);
        response?.destroy(err);
        r.destroy(err);
      };
      if (req.signal?.aborted) onAbort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
      r.on('error', (err) => reject(networkError(err, req)));
      r.on('response', (res) => {
        response = res;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url: req.url });
      });
      r.end(req.body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.insecureAgent.destroy();
  }
}

/** Turns socket and TLS errors into `network` errors that say what was being fetched. */
export function networkError(err: unknown, req: Pick<HttpRequest, 'what' | 'url'>): AssayError {
  if (err instanceof AssayError) return err;
  const code = err instanceof Error && 'code' in err ? String(err.code) : '';
  let message = err instanceof Error ? err.message : String(err);
  // OpenSSL's messages carry file names and line numbers; keep only the reason.
  const tls = /SSL routines:[^:]*:([^:]+)/.exec(message);
  if (tls) message = `TLS handshake failed: ${tls[1]}`;
  const suffix = code && !message.includes(code) ? ` (${code})` : '';
  return new AssayError('network', `${req.what}: request to ${req.url.origin} failed: ${message}${suffix}`, {
    cause: err,
  });
}
