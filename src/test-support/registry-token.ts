/**
 * A token server that a real distribution 2.8 registry trusts (`auth.token`), for tests.
 *
 * distribution 2.8 (registry/auth/token/token.go) verifies a JWT by the `x5c` header: the leaf
 * certificate must chain to `rootcertbundle`; then `iss` must equal `issuer`, `aud` the
 * `service`, `exp`/`nbf` must hold (60 s leeway) and `access` must grant the requested
 * `repository:NAME:ACTION`. So: an RSA key and a self-signed certificate (openssl CLI, made at
 * test time), RS256 tokens with `x5c` = [that certificate].
 *
 * Endpoints, after https://distribution.github.io/distribution/spec/auth/token/ and .../oauth/:
 * GET /token?service&scope with optional Basic → `{token, expires_in, issued_at}`;
 * POST /token (refresh_token or password grant) → `{access_token, expires_in}`.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TokenServerOptions {
  users: Record<string, string>;
  identityTokens: Record<string, string>;
  anonymousPull: boolean;
}

export interface TokenRequestLog {
  method: string;
  scopes: string[];
  /** Authenticated user, or undefined for anonymous. */
  user: string | undefined;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  requests: TokenRequestLog[];
  close(): Promise<void>;
}

interface Signer {
  key: KeyObject;
  certDer: string;
}

const SERVICE = 'assay-test-registry';
const ISSUER = 'assay-test-issuer';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** `repository:app/x:pull,push` → an access claim; the name may not contain ':' but be safe. */
function accessFor(scopes: string[], user: string | undefined, anonymousPull: boolean): object[] {
  return scopes.flatMap((scope) => {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first < 0 || last <= first) return [];
    const wanted = scope.slice(last + 1).split(',');
    const actions = user ? wanted : anonymousPull ? wanted.filter((a) => a === 'pull') : [];
    return [{ type: scope.slice(0, first), name: scope.slice(first + 1, last), actions }];
  });
}

function issue(signer: Signer, user: string | undefined, access: object[]): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [signer.certDer] };
  const claims = {
    iss: ISSUER,
    sub: user ?? '',
    aud: SERVICE,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access,
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${signingInput}.${b64url(sign('sha256', Buffer.from(signingInput), signer.key))}`;
}

function basicUser(req: IncomingMessage, users: Record<string, string>): string | undefined | null {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^Basic\s+(.+)$/i.exec(header);
  const decoded = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const [user, pass] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return colon > 0 && users[user] === pass ? user : null; // null = wrong credentials
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}

function json(res: ServerResponse, status: number, value: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  signer: Signer,
  opts: TokenServerOptions,
  log: TokenRequestLog[],
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://token');
  if (url.pathname !== '/token') return json(res, 404, { error: 'not found' });
  if (req.method === 'POST') {
    const form = await readForm(req);
    const scopes = form.getAll('scope').flatMap((s) => s.split(' '));
    const grant = form.get('grant_type');
    const user =
      grant === 'refresh_token'
        ? opts.identityTokens[form.get('refresh_token') ?? '']
        : grant === 'password' && opts.users[form.get('username') ?? ''] === form.get('password')
          ? (form.get('username') ?? undefined)
          : undefined;
    log.push({ method: 'POST', scopes, user });
    if (!user) return json(res, 401, { error: 'invalid_grant' });
    return json(res, 200, {
      access_token: issue(signer, user, accessFor(scopes, user, false)),
      expires_in: 300,
    });
  }
  const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' '));
  const user = basicUser(req, opts.users);
  log.push({ method: 'GET', scopes, user: user ?? undefined });
  if (user === null)
    return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
  const token = issue(signer, user, accessFor(scopes, user, opts.anonymousPull));
  return json(res, 200, { token, expires_in: 300, issued_at: new Date().toISOString() });
}

export async function startTokenServer(dir: string, opts: TokenServerOptions): Promise<TokenServer> {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '2',
    '-subj',
    '/CN=assay-test-token',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const pem = await readFile(certPath, 'utf8');
  const certDer = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const signer = { key: createPrivateKey(await readFile(keyPath)), certDer };
  const requests: TokenRequestLog[] = [];
  const server = createServer((req, res) => {
    handle(req, res, signer, opts, requests).catch(() => json(res, 500, { error: 'token server failed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service: SERVICE,
    issuer: ISSUER,
    certPath,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
