/**
 * `docker:REF` / `podman:REF` — an image in the local engine, through the Docker Engine API
 * over its unix socket (Podman's `podman system service` serves the same API):
 * `GET /_ping` (its `Api-Version` header gives the version to speak), `GET /images/{name}/json`
 * (ImageInspect: Id, RepoTags, RepoDigests, Os/Architecture), then `GET /images/{name}/get`
 * (ImageGet: a `docker save` tarball) streamed to a spool file that the docker-archive reader
 * indexes in place. The spool directory is removed by close().
 * https://docs.docker.com/reference/api/engine/version/v1.45/#tag/Image
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AssayError, errorMessage } from '../../model/errors.js';
import { engineNaming } from '../archive/identity.js';
import { formatPlatform, platformMatches } from '../platform.js';
import type { ImageSource, Platform } from '../types.js';
import { openDockerArchiveFile } from './docker-archive.js';

export type EngineFlavor = 'docker' | 'podman';

export interface EngineOptions {
  flavor: EngineFlavor;
  /** `unix:///path/to.sock` (or a bare socket path); default from DOCKER_HOST / CONTAINER_HOST. */
  host?: string;
  /** Where the exported tarball is spooled (a per-image subdirectory, removed by close()). */
  spoolDir: string;
  platform?: Platform;
  /** Idle timeout of API calls (no byte for this long). */
  timeoutMs?: number;
  /** Idle timeout of the export; engines may assemble the tarball before sending a byte. */
  exportTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** The API version we speak when the engine does not say; the three endpoints are unchanged since. */
export const DEFAULT_API_VERSION = '1.41';

const inspectSchema = z.object({
  Id: z.string(),
  RepoTags: z.array(z.string()).nullable().optional(),
  RepoDigests: z.array(z.string()).nullable().optional(),
  Os: z.string().optional(),
  Architecture: z.string().optional(),
  Variant: z.string().optional(),
});
type ImageInspect = z.infer<typeof inspectSchema>;

/** Which socket to use: explicit host, then DOCKER_HOST (docker) or CONTAINER_HOST (podman), then the default. */
export function engineSocket(
  flavor: EngineFlavor,
  host?: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const fromEnv = flavor === 'docker' ? env.DOCKER_HOST : env.CONTAINER_HOST;
  const chosen = host || fromEnv || defaultHost(flavor, env);
  if (chosen.startsWith('unix://')) return chosen.slice('unix://'.length);
  if (chosen.startsWith('/')) return chosen;
  const scheme = /^([a-z0-9+]+):\/\//.exec(chosen)?.[1] ?? chosen;
  throw new AssayError(
    'engine',
    `${flavor} engine address ${chosen}: ${scheme}:// is not supported yet; use a unix socket (unix:///path/to/${flavor}.sock)`,
  );
}

function defaultHost(flavor: EngineFlavor, env: NodeJS.ProcessEnv): string {
  if (flavor === 'docker') return 'unix:///var/run/docker.sock';
  // Podman's rootless service listens under the user's runtime dir, the rootful one under /run.
  if (process.getuid?.() === 0 || !env.XDG_RUNTIME_DIR) return 'unix:///run/podman/podman.sock';
  return `unix://${env.XDG_RUNTIME_DIR}/podman/podman.sock`;
}

interface Ctx {
  input: string;
  flavor: EngineFlavor;
  socket: string;
  signal?: AbortSignal | undefined;
}

function connectError(ctx: Ctx, err: unknown): AssayError {
  const code = (err as NodeJS.ErrnoException).code ?? errorMessage(err);
  const start =
    ctx.flavor === 'docker' ? 'start the Docker daemon' : 'start `podman system service --time=0`';
  const env = ctx.flavor === 'docker' ? 'DOCKER_HOST' : 'CONTAINER_HOST';
  return new AssayError(
    'engine',
    `${ctx.input}: cannot reach the ${ctx.flavor} engine at ${ctx.socket} (${code}); ${start}, or set ${env}=unix:///path/to/socket`,
    { cause: err },
  );
}

/** One GET on the engine socket; the timeout is an idle timeout on the socket, body included. */
function get(ctx: Ctx, path: string, timeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: ctx.socket,
      path,
      method: 'GET',
      headers: { Host: ctx.flavor },
      signal: ctx.signal,
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy(
        new AssayError(
          'timeout',
          `${ctx.input}: the ${ctx.flavor} engine at ${ctx.socket} sent nothing for ${timeoutMs} ms (GET ${path})`,
        ),
      );
    });
    req.on('response', resolve);
    req.on('error', (err) => {
      if (err instanceof AssayError) reject(err);
      else if (err.name === 'AbortError')
        reject(new AssayError('aborted', `${ctx.input}: aborted`, { cause: err }));
      else reject(connectError(ctx, err));
    });
    req.end();
  });
}

async function readBody(res: IncomingMessage, max = 4 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > max) throw new AssayError('engine', `engine response larger than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Error bodies are `{"message": "..."}` (Engine API "Errors"). */
async function failure(ctx: Ctx, res: IncomingMessage, what: string): Promise<AssayError> {
  const body = (await readBody(res).catch(() => Buffer.alloc(0))).toString('utf8');
  let message = body.trim();
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed && 'message' in parsed) message = String(parsed.message);
  } catch {}
  return new AssayError(
    'engine',
    `${ctx.input}: ${what} failed with HTTP ${res.statusCode}: ${message || '(no message)'}`,
  );
}

/** The engine's own API version when it states one (the CLI negotiates the same way). */
async function negotiate(ctx: Ctx, timeoutMs: number): Promise<string> {
  const res = await get(ctx, '/_ping', timeoutMs);
  if (res.statusCode !== 200) throw await failure(ctx, res, 'GET /_ping');
  await readBody(res);
  const header = res.headers['api-version'];
  const version = Array.isArray(header) ? header[0] : header;
  return version && /^\d+\.\d+$/.test(version) ? version : DEFAULT_API_VERSION;
}

function imagePath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

async function inspect(ctx: Ctx, base: string, name: string, timeoutMs: number): Promise<ImageInspect> {
  const res = await get(ctx, `${base}/images/${imagePath(name)}/json`, timeoutMs);
  if (res.statusCode === 404) {
    await readBody(res).catch(() => undefined);
    throw new AssayError(
      'not-found',
      `${ctx.input}: image ${name} is not in the local ${ctx.flavor} engine (${ctx.socket}); pull or load it first, or scan it from the registry`,
    );
  }
  if (res.statusCode !== 200) throw await failure(ctx, res, `inspecting ${name}`);
  const parsed = inspectSchema.safeParse(JSON.parse((await readBody(res)).toString('utf8')));
  if (!parsed.success)
    throw new AssayError(
      'engine',
      `${ctx.input}: unexpected image inspect response: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

async function exportImage(
  ctx: Ctx,
  base: string,
  name: string,
  file: string,
  timeoutMs: number,
): Promise<void> {
  const res = await get(ctx, `${base}/images/${imagePath(name)}/get`, timeoutMs);
  if (res.statusCode !== 200) throw await failure(ctx, res, `exporting ${name}`);
  try {
    await pipeline(res, createWriteStream(file, { flags: 'wx' }));
  } catch (err) {
    throw err instanceof AssayError
      ? err
      : new AssayError('engine', `${ctx.input}: export of ${name} broke off: ${errorMessage(err)}`, {
          cause: err,
        });
  }
}

function checkEnginePlatform(input: string, info: ImageInspect, wanted: Platform | undefined): void {
  const actual: Platform = {
    os: info.Os ?? 'linux',
    architecture: info.Architecture ?? 'unknown',
    ...(info.Variant ? { variant: info.Variant } : {}),
  };
  if (wanted && !platformMatches(wanted, actual)) {
    throw new AssayError(
      'platform-not-found',
      `${input}: the local image is ${formatPlatform(actual)}, not the requested ${formatPlatform(wanted)}`,
    );
  }
}

export async function openEngine(input: string, name: string, opts: EngineOptions): Promise<ImageSource> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/.test(name)) {
    throw new AssayError('invalid-reference', `${input}: ${JSON.stringify(name)} is not an image name or id`);
  }
  const ctx: Ctx = {
    input,
    flavor: opts.flavor,
    socket: engineSocket(opts.flavor, opts.host, opts.env),
    signal: opts.signal,
  };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const base = `/v${await negotiate(ctx, timeoutMs)}`;
  const info = await inspect(ctx, base, name, timeoutMs);
  checkEnginePlatform(input, info, opts.platform);
  await mkdir(opts.spoolDir, { recursive: true });
  const spool = await mkdtemp(join(opts.spoolDir, 'engine-'));
  const cleanup = () => rm(spool, { recursive: true, force: true });
  try {
    const file = join(spool, 'image.tar');
    await exportImage(ctx, base, name, file, opts.exportTimeoutMs ?? 300_000);
    return await openDockerArchiveFile(input, file, {
      imageId: info.Id,
      kind: 'engine',
      naming: engineNaming(name, info),
      onClose: cleanup,
    });
  } catch (err) {
    await cleanup();
    throw err;
  }
}
