/**
 * A REAL registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 with a
 * free port and a temp storage dir, in one of three auth modes:
 * - `anonymous`;
 * - `basic`: htpasswd with bcrypt (`htpasswd -Bbn`, apache2-utils), the only hash 2.8 accepts;
 * - `token`: the registry's `auth.token` with a small token server from ./registry-token.ts.
 * Images are pushed with `skopeo copy` from an OCI layout, so our client is never tested
 * against content it uploaded itself. Needs the apt packages docker-registry, skopeo,
 * apache2-utils and openssl.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { type BuiltImage, writeOciLayout } from './oci-image.js';
import { startTokenServer, type TokenServer } from './registry-token.js';

const run = promisify(execFile);

export type RegistryAuthMode = 'anonymous' | 'basic' | 'token';

export interface StartRegistryOptions {
  auth?: RegistryAuthMode;
  username?: string;
  password?: string;
  /** Token mode: identity (refresh) tokens the token server accepts, mapped to a user name. */
  identityTokens?: Record<string, string>;
  /** Token mode: hand out pull tokens to anonymous clients too. */
  anonymousPull?: boolean;
}

export interface PushOptions {
  /** `docker` converts to Docker schema 2 media types (skopeo `--format v2s2`). */
  format?: 'oci' | 'docker';
}

export interface TestRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  host: string;
  storageDir: string;
  username: string;
  password: string;
  /** Token mode only; counts GET and POST requests to the token endpoint. */
  token: TokenServer | undefined;
  push(images: BuiltImage | BuiltImage[], repo: string, tag: string, opts?: PushOptions): Promise<void>;
  /** Path of a blob's data file in the registry's filesystem storage. */
  blobPath(digest: string): string;
  /** Flips every byte of a stored blob, keeping its size, so only the digest can tell. */
  corruptBlob(digest: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function authConfig(
  mode: RegistryAuthMode,
  dir: string,
  opts: Required<Pick<StartRegistryOptions, 'username' | 'password'>>,
  token: TokenServer | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (mode === 'basic') {
    const { stdout } = await run('htpasswd', ['-Bbn', opts.username, opts.password]);
    await writeFile(join(dir, 'htpasswd'), `${stdout.trim()}\n`);
    return { htpasswd: { realm: 'assay-test', path: join(dir, 'htpasswd') } };
  }
  if (mode === 'token' && token) {
    return {
      token: {
        realm: token.realm,
        service: token.service,
        issuer: token.issuer,
        rootcertbundle: token.certPath,
      },
    };
  }
  return undefined;
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr()}`);
    try {
      await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      return; // any answer (200 or 401) means it serves
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`docker-registry did not become ready: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface Launched {
  child: ChildProcess;
  port: number;
}

/**
 * Writes the config for a free port and starts the registry; retried with a new port when
 * another process grabbed ours between probing and binding.
 */
async function launch(dir: string, auth: Record<string, unknown> | undefined): Promise<Launched> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = {
      version: 0.1,
      log: { level: 'error', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: join(dir, 'storage') },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
      auth,
    };
    await writeFile(join(dir, 'config.yml'), stringify(config));
    const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-4000);
    });
    try {
      await waitReady(`http://127.0.0.1:${port}`, child, () => stderr);
      return { child, port };
    } catch (err) {
      await stopChild(child);
      if (attempt >= 3 || !stderr.includes('address already in use')) throw err;
    }
  }
}

export async function startRegistry(opts: StartRegistryOptions = {}): Promise<TestRegistry> {
  const mode = opts.auth ?? 'anonymous';
  const creds = { username: opts.username ?? 'alice', password: opts.password ?? 'wonder-land-42' };
  const dir = await mkdtemp(join(tmpdir(), 'assay-registry-'));
  let token: TokenServer | undefined;
  try {
    if (mode === 'token') {
      const users = { [creds.username]: creds.password };
      const identityTokens = opts.identityTokens ?? {};
      token = await startTokenServer(dir, {
        users,
        identityTokens,
        anonymousPull: opts.anonymousPull ?? false,
      });
    }
    const { child, port } = await launch(dir, await authConfig(mode, dir, creds, token));
    const host = `127.0.0.1:${port}`;
    return makeRegistry({
      url: `http://${host}`,
      host,
      dir,
      storageDir: join(dir, 'storage'),
      creds,
      mode,
      token,
      child,
    });
  } catch (err) {
    await token?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

interface Parts {
  url: string;
  host: string;
  dir: string;
  storageDir: string;
  creds: { username: string; password: string };
  mode: RegistryAuthMode;
  token: TokenServer | undefined;
  child: ChildProcess;
}

function makeRegistry(p: Parts): TestRegistry {
  let pushes = 0;
  const blobPath = (digest: string) => {
    const [alg, hex] = digest.split(':') as [string, string];
    return join(p.storageDir, 'docker/registry/v2/blobs', alg, hex.slice(0, 2), hex, 'data');
  };
  return {
    url: p.url,
    host: p.host,
    storageDir: p.storageDir,
    username: p.creds.username,
    password: p.creds.password,
    token: p.token,
    blobPath,
    async push(images, repo, tag, opts = {}) {
      const list = Array.isArray(images) ? images : [images];
      const layout = join(p.dir, `layout-${pushes++}`);
      await writeOciLayout(layout, [{ tag, images: list }]);
      const args = ['copy', '--insecure-policy', '--dest-tls-verify=false', '--retry-times=0'];
      if (p.mode !== 'anonymous') args.push('--dest-creds', `${p.creds.username}:${p.creds.password}`);
      if (list.length > 1) args.push('--all');
      // Byte-exact pushes (skopeo would otherwise compress uncompressed layers), unless converting.
      args.push(...(opts.format === 'docker' ? ['--format', 'v2s2'] : ['--preserve-digests']));
      args.push(`oci:${layout}:${tag}`, `docker://${p.host}/${repo}:${tag}`);
      await run('skopeo', args, { env: { ...process.env, HOME: p.dir } });
      await rm(layout, { recursive: true, force: true });
    },
    async corruptBlob(digest) {
      const data = await readFile(blobPath(digest));
      for (let i = 0; i < data.length; i++) data[i] = (data[i] ?? 0) ^ 0xff;
      await writeFile(blobPath(digest), data);
    },
    async stop() {
      await stopChild(p.child);
      await p.token?.close();
      await rm(p.dir, { recursive: true, force: true });
    },
  };
}
