/**
 * Where registry credentials come from, in Docker's order: explicit options (CLI flags or env),
 * then `config.json` in `$DOCKER_CONFIG` or `~/.docker`: `credHelpers[registry]`, `credsStore`,
 * and finally `auths` (https://docs.docker.com/reference/cli/docker/login/#credential-stores).
 * Secrets never appear in messages; `source` says where credentials came from so errors can.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AssayError, errorMessage } from '../../model/errors.js';
import { runCredentialHelper } from './credential-helper.js';

export interface Credentials {
  username?: string;
  password?: string;
  /** OAuth2 refresh token from `docker login` against a token server (`identitytoken`). */
  identityToken?: string;
  /** Human description of the origin, e.g. `auths["ghcr.io"] in /home/u/.docker/config.json`. */
  source: string;
}

export interface CredentialOptions {
  username?: string | undefined;
  password?: string | undefined;
  /** Directory holding config.json; default `$DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfigDir?: string | undefined;
  helperTimeoutMs?: number | undefined;
}

const authEntry = z.object({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
});
const dockerConfig = z.object({
  auths: z.record(z.string(), authEntry).optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
  credsStore: z.string().optional(),
});
type DockerConfig = z.infer<typeof dockerConfig>;

// Docker stores Hub credentials under its v1 index URL; the others are aliases people use.
const HUB_KEY = 'https://index.docker.io/v1/';
const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export function dockerConfigPath(dir?: string): string {
  return join(dir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

/** `https://ghcr.io/v2/` → `ghcr.io`; Hub aliases collapse to `docker.io`. */
export function normalizeServer(key: string): string {
  const host = key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return HUB_HOSTS.has(host) ? 'docker.io' : host;
}

/** The server URL Docker passes to credential helpers for `registry`. */
export function helperServerUrl(registry: string): string {
  return normalizeServer(registry) === 'docker.io' ? HUB_KEY : registry;
}

export async function findCredentials(
  registry: string,
  opts: CredentialOptions = {},
): Promise<Credentials | undefined> {
  if (opts.username !== undefined || opts.password !== undefined) {
    if (!opts.username || opts.password === undefined) {
      throw new AssayError('usage', '--username and --password must be given together');
    }
    return { username: opts.username, password: opts.password, source: '--username/--password' };
  }
  const path = dockerConfigPath(opts.dockerConfigDir);
  const config = await readDockerConfig(path);
  if (!config) return undefined;
  const server = normalizeServer(registry);
  const helper = Object.entries(config.credHelpers ?? {}).find(([k]) => normalizeServer(k) === server)?.[1];
  const timeoutMs = opts.helperTimeoutMs ?? 10_000;
  if (helper) {
    return runCredentialHelper(helper, helperServerUrl(registry), timeoutMs, `credHelpers in ${path}`);
  }
  if (config.credsStore) {
    const stored = await runCredentialHelper(
      config.credsStore,
      helperServerUrl(registry),
      timeoutMs,
      `credsStore in ${path}`,
    );
    if (stored) return stored;
  }
  return fromAuths(config, server, path);
}

async function readDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw new AssayError('usage', `cannot read Docker config ${path}: ${errorMessage(err)}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AssayError('usage', `Docker config ${path} is not valid JSON`, { cause: err });
  }
  const parsed = dockerConfig.safeParse(json);
  if (!parsed.success)
    throw new AssayError('usage', `Docker config ${path} is malformed: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function fromAuths(config: DockerConfig, server: string, path: string): Credentials | undefined {
  const found = Object.entries(config.auths ?? {}).find(([k]) => normalizeServer(k) === server);
  if (!found) return undefined;
  const [key, entry] = found;
  const creds: Credentials = { source: `auths[${JSON.stringify(key)}] in ${path}` };
  if (entry.auth) {
    // `auth` is base64("user:password"); the password may itself contain colons.
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new AssayError('usage', `${creds.source}: "auth" is not base64 of user:password`);
    creds.username = decoded.slice(0, colon);
    creds.password = decoded.slice(colon + 1);
  }
  if (entry.username) creds.username = entry.username;
  if (entry.password) creds.password = entry.password;
  if (entry.identitytoken) creds.identityToken = entry.identitytoken;
  const usable = (creds.username && creds.password !== undefined) || creds.identityToken;
  return usable ? creds : undefined;
}
