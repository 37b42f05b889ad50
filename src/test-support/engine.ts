/**
 * Engine API test support: (1) a unix-socket node:http server replaying recorded Engine API
 * exchanges (testdata/engine/*.json, see its README), with injectable faults; (2) a real
 * `podman system service` in a private storage root, started when this machine can run it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ENGINE_TESTDATA = fileURLToPath(new URL('./testdata/engine/', import.meta.url));

export interface RecordedExchange {
  path: string;
  status: number;
  headers: Record<string, string>;
  body?: string;
  bodyJson?: unknown;
  /** A file in testdata/engine streamed as the body. */
  bodyFile?: string;
}

export interface Cassette {
  recordedWith: string;
  exchanges: RecordedExchange[];
}

export async function loadCassette(name: string): Promise<Cassette> {
  return JSON.parse(await readFile(join(ENGINE_TESTDATA, `${name}.json`), 'utf8')) as Cassette;
}

/** `hang`: never answer; `truncate`: send half the body then end; `reset`: half, then drop the connection. */
export type Fault = 'hang' | 'truncate' | 'reset';

export interface ReplayEngine {
  socketPath: string;
  /** Decoded request paths, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startReplayEngine(
  socketPath: string,
  cassette: Cassette,
  faults: Record<string, Fault> = {},
): Promise<ReplayEngine> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '/');
    requests.push(path);
    const ex = cassette.exchanges.find((e) => decodeURIComponent(e.path) === path);
    const fault = faults[path];
    if (fault === 'hang') return;
    if (!ex) {
      res
        .writeHead(404, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ message: 'page not found' }));
      return;
    }
    void replay(ex, fault, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    socketPath,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function replay(
  ex: RecordedExchange,
  fault: Fault | undefined,
  res: import('node:http').ServerResponse,
): Promise<void> {
  res.writeHead(ex.status, ex.headers);
  if (ex.bodyFile === undefined) {
    res.end(ex.bodyJson !== undefined ? JSON.stringify(ex.bodyJson) : (ex.body ?? ''));
    return;
  }
  const file = join(ENGINE_TESTDATA, ex.bodyFile);
  if (!fault) {
    createReadStream(file).pipe(res);
    return;
  }
  const data = await readFile(file);
  res.write(data.subarray(0, Math.floor(data.length / 2)));
  if (fault === 'truncate') res.end();
  else setTimeout(() => res.socket?.destroy(), 20);
}

export interface PodmanService {
  socketPath: string;
  stop(): Promise<void>;
}

/**
 * Starts `podman system service` on a socket in `dir`, with its own storage (vfs, so no
 * overlay mounts are needed) and cgroupfs/file event logging (no systemd here). Returns
 * `{unavailable}` with podman's own words when it cannot start on this machine.
 */
export async function startPodmanService(dir: string): Promise<PodmanService | { unavailable: string }> {
  await mkdir(dir, { recursive: true });
  const socketPath = join(dir, 'podman.sock');
  const args = [
    '--root',
    join(dir, 'root'),
    '--runroot',
    join(dir, 'runroot'),
    '--storage-driver=vfs',
    '--cgroup-manager=cgroupfs',
    '--events-backend=file',
  ];
  const child = spawn('podman', [...args, 'system', 'service', '--time=0', `unix://${socketPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let exited: string | undefined;
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.on('error', (err) => {
    exited = `cannot run podman: ${err.message}`;
  });
  child.on('exit', (code, sig) => {
    exited ??= `podman system service exited (${code ?? sig}): ${stderr.trim() || 'no output'}`;
  });
  for (let waited = 0; waited < 20_000; waited += 100) {
    if (exited) return { unavailable: exited };
    if (await pingOk(socketPath)) return { socketPath, stop: () => stopPodman(child, dir) };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopPodman(child, dir);
  return { unavailable: `podman system service did not answer /_ping within 20 s: ${stderr.trim()}` };
}

async function stopPodman(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exit = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  }
  await rm(dir, { recursive: true, force: true });
}

function pingOk(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** `POST /images/load` (ImageLoad) with a `docker save` tarball; returns the engine's message. */
export function engineLoad(socketPath: string, tarPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path: '/v1.41/images/load',
        method: 'POST',
        headers: { 'Content-Type': 'application/x-tar' },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(body)
            : reject(new Error(`load failed: HTTP ${res.statusCode} ${body}`)),
        );
      },
    );
    req.on('error', reject);
    createReadStream(tarPath).pipe(req);
  });
}
