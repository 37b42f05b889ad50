/**
 * Bearer tokens from a registry's token service.
 * - GET `realm?service=…&scope=…` with Basic credentials when we have them
 *   (https://distribution.github.io/distribution/spec/auth/token/#requesting-a-token).
 * - With an identity token from `docker login`: POST the OAuth2 refresh-token grant
 *   (https://distribution.github.io/distribution/spec/auth/oauth/); a 404 there means the
 *   server only speaks the GET flow, which we then use.
 * The response carries `token` or `access_token`, and `expires_in` (default 60 s).
 */
import { z } from 'zod';
import { AssayError } from '../../model/errors.js';
import type { BearerChallenge } from './challenge.js';
import type { Credentials } from './credentials.js';
import { readBody, responseError } from './responses.js';
import type { HttpResponse, Transport } from './transport.js';

export interface Token {
  value: string;
  expiresAt: number;
}

const tokenResponse = z.object({
  token: z.string().optional(),
  access_token: z.string().optional(),
  expires_in: z.number().positive().optional(),
  issued_at: z.string().optional(),
});

// The spec's default lifetime; we renew a little early so a token does not lapse in flight.
const DEFAULT_LIFETIME_S = 60;
const RENEW_EARLY_MS = 5_000;

export interface TokenRequest {
  challenge: BearerChallenge;
  scope: string;
  credentials: Credentials | undefined;
  signal?: AbortSignal | undefined;
  /** The image, for messages. */
  label: string;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export async function fetchToken(transport: Transport, req: TokenRequest): Promise<Token> {
  const realm = parseRealm(req.challenge.realm, transport, req.label);
  const what = `${req.label}: token from ${realm.origin}`;
  const creds = req.credentials;
  if (creds?.identityToken) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: creds.identityToken,
      client_id: 'assay',
    });
    if (req.challenge.service) form.set('service', req.challenge.service);
    form.set('scope', req.scope);
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const res = await transport.send({
      url: realm,
      method: 'POST',
      headers,
      body: form.toString(),
      signal: req.signal,
      what,
    });
    if (res.status !== 404) return readToken(res, what, creds);
    res.body.resume();
  }
  const url = new URL(realm);
  if (req.challenge.service) url.searchParams.set('service', req.challenge.service);
  url.searchParams.set('scope', req.scope);
  const headers: Record<string, string> = {};
  if (creds?.username && creds.password !== undefined) {
    headers.authorization = basicAuthorization(creds.username, creds.password);
    url.searchParams.set('account', creds.username);
  }
  return readToken(await transport.send({ url, headers, signal: req.signal, what }), what, creds);
}

function parseRealm(realm: string, transport: Transport, label: string): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new AssayError(
      'registry',
      `${label}: the registry's token realm ${JSON.stringify(realm)} is not a URL`,
    );
  }
  // Credentials go to the realm; never in clear text to a host the user did not mark insecure.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && transport.opts.allowHttp(url.host))) {
    throw new AssayError('registry', `${label}: refusing token realm ${url.origin} (not https)`);
  }
  return url;
}

async function readToken(res: HttpResponse, what: string, creds: Credentials | undefined): Promise<Token> {
  if (res.status === 401) {
    res.body.resume();
    const who = creds
      ? `the credentials from ${creds.source}${creds.username ? ` (user ${JSON.stringify(creds.username)})` : ''}`
      : 'an anonymous request';
    throw new AssayError('unauthorized', `${what}: the token service rejected ${who}`);
  }
  if (res.status !== 200) throw await responseError(res, what);
  const body = await readBody(res.body, 1024 * 1024, what);
  let parsed: z.infer<typeof tokenResponse>;
  try {
    parsed = tokenResponse.parse(JSON.parse(body.toString('utf8')));
  } catch {
    throw new AssayError(
      'registry',
      `${what}: the token service answered with something other than a token response`,
    );
  }
  const value = parsed.token ?? parsed.access_token;
  if (!value)
    throw new AssayError('registry', `${what}: the token response has neither "token" nor "access_token"`);
  const issued = parsed.issued_at ? Date.parse(parsed.issued_at) : Number.NaN;
  const start = Number.isNaN(issued) || issued > Date.now() ? Date.now() : issued;
  const lifetimeMs = (parsed.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
  return { value, expiresAt: start + lifetimeMs - Math.min(RENEW_EARLY_MS, lifetimeMs / 2) };
}

/**
 * Tokens per (realm, service, scope), shared by all concurrent requests of a source; concurrent
 * misses for one key wait on a single fetch instead of each asking the token service.
 */
export class TokenCache {
  private readonly tokens = new Map<string, Token>();
  private readonly pending = new Map<string, Promise<Token>>();

  async get(key: string, fetch: () => Promise<Token>, now = Date.now()): Promise<Token> {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > now) return cached;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const p = fetch().then(
      (t) => {
        this.tokens.set(key, t);
        this.pending.delete(key);
        return t;
      },
      (err: unknown) => {
        this.pending.delete(key);
        throw err;
      },
    );
    this.pending.set(key, p);
    return p;
  }

  /** Forgets `value` if it is still the cached token for `key` (the registry rejected it). */
  invalidate(key: string, value: string): void {
    if (this.tokens.get(key)?.value === value) this.tokens.delete(key);
  }
}
