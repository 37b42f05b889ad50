/**
 * The three places db-distribution.bench.ts pulls from, plus the references measured next to
 * them: a static HTTP mirror of a published directory (the tests' FeedServer: ETag, 304, Range),
 * the manager (`startServer` of src/server/main.ts with `dbPath` = the bench DB, PGlite in a temp
 * data dir), and a monolithic blob PUT (the registry's own floor for an upload of the same bytes).
 * Commands that talk to these in-process servers run with `timeCommandAsync`: lib/cpu-time.ts's
 * spawnSync would block the event loop that has to answer them.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningServer, startServer } from '../src/server/main.js';
import { sha256Digest } from '../src/vulndb/distribution/metadata.js';
import { METADATA_FILE } from '../src/vulndb/distribution/types.js';
import { FeedServer } from '../src/vulndb/update/test-server.js';
import type { CpuTimed } from './lib/cpu-time.js';

export interface HttpMirror {
  /** The metadata document's URL, for `--from`. */
  metadataUrl: string;
  bundleUrl: string;
  stop(): Promise<void>;
}

/** Serves `publishDir` (metadata.json + the bundle it names) under /db/. */
export async function startHttpMirror(publishDir: string, bundleName: string): Promise<HttpMirror> {
  const server = await new FeedServer().start();
  server.file(`/db/${METADATA_FILE}`, await readFile(join(publishDir, METADATA_FILE)));
  server.file(`/db/${bundleName}`, await readFile(join(publishDir, bundleName)));
  return {
    metadataUrl: `${server.base}db/${METADATA_FILE}`,
    bundleUrl: `${server.base}db/${bundleName}`,
    stop: () => server.stop(),
  };
}

export interface BenchManager {
  server: RunningServer;
  token: string;
  metadataUrl: string;
  /** `startServer` until it listens (its publish of the DB starts then, in the background). */
  startSeconds: number;
  /** The first GET /api/v1/db/metadata, right after start: it waits for that first publish. */
  firstMetadataSeconds: number;
  /** The bundle digest the manager published (compared with publishBundle's). */
  bundleDigest: string;
}

export async function startBenchManager(dbDir: string, dataDir: string): Promise<BenchManager> {
  const t0 = performance.now();
  const server = await startServer({ listen: '127.0.0.1:0', dataDir, dbPath: dbDir, webRoot: null });
  const startSeconds = (performance.now() - t0) / 1000;
  const token = server.firstAdminToken;
  if (!token) throw new Error(`the manager in ${dataDir} printed no first admin token`);
  const metadataUrl = `${server.url}/api/v1/db/metadata`;
  const t1 = performance.now();
  const r = await fetch(metadataUrl, { headers: { authorization: `Bearer ${token}` } });
  const body = await r.text();
  const firstMetadataSeconds = (performance.now() - t1) / 1000;
  if (r.status !== 200) {
    await server.close();
    throw new Error(`GET ${metadataUrl}: ${r.status} ${body.slice(0, 200)}`);
  }
  const bundleDigest = (JSON.parse(body) as { bundle: { digest: string } }).bundle.digest;
  return { server, token, metadataUrl, startSeconds, firstMetadataSeconds, bundleDigest };
}

/**
 * One POST + one PUT of the whole file as the blob of `repo` (distribution spec, "Pushing a blob
 * monolithically": https://github.com/opencontainers/distribution-spec/blob/main/spec.md), with
 * Node's fetch: what pushing these bytes costs without chunking, retries or auth. Seconds.
 */
export async function monolithicUpload(registryUrl: string, repo: string, file: string): Promise<number> {
  const digest = await sha256Digest(file);
  const size = (await stat(file)).size;
  const t0 = performance.now();
  const start = await fetch(`${registryUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await start.arrayBuffer();
  const location = start.headers.get('location');
  if (start.status !== 202 || !location) throw new Error(`upload start: ${start.status}`);
  const url = new URL(location, registryUrl);
  url.searchParams.set('digest', digest);
  const put = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: createReadStream(file, { highWaterMark: 1 << 20 }) as unknown as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  await put.arrayBuffer();
  if (put.status !== 201) throw new Error(`upload PUT: ${put.status}`);
  return (performance.now() - t0) / 1000;
}

/** lib/cpu-time.ts's `timeCommandCpu` (GNU time, stdout discarded) without blocking this process. */
export function timeCommandAsync(command: string, env: NodeJS.ProcessEnv = process.env): Promise<CpuTimed> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %M %U %S', 'sh', '-c', `${command} > /dev/null`], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`benchmark command failed (${code}): ${command}\n${stderr}`));
      const [secs, kb, user, sys] = (stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
      resolve({
        seconds: secs ?? Number.NaN,
        rssMiB: (kb ?? Number.NaN) / 1024,
        cpuSeconds: (user ?? Number.NaN) + (sys ?? Number.NaN),
      });
    });
  });
}
