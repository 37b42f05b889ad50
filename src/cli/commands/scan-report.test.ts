/**
 * `assay scan --apiurl --token` against the real manager (issue 7 "CLI reporting"): the app from
 * src/server listening on a loopback port (PGlite store), the CLI as a child process, images as
 * OCI layouts and a real SQLite DB. Faults: a wrong token, a manager answering 503 twice (a
 * proxy in front of it), and a manager that is down.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ImageResult, ScanDocumentSchema } from '../../model/result.js';
import { importFeedsDbDir } from '../../scan/testing/advisories.js';
import { alpineImage, debianImage } from '../../scan/testing/fixtures.js';
import { ociInput } from '../../scan/testing/images.js';
import { type Harness, harness } from '../../server/testing/harness.js';
import { runAssay } from '../testing/run-cli.js';

interface Listed {
  digest: string;
  repository: string;
  result: string;
  maxCvssV3: number | null;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port that was just free: nothing listens there, so connections are refused. */
async function closedPort(): Promise<string> {
  const s = createServer();
  const url = await listen(s);
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return url;
}

/** Answers the first `failures` POSTs with 503 (Retry-After: 0) and forwards everything else. */
async function flakyProxy(target: string, failures: number, t: { after: (fn: () => unknown) => void }) {
  let left = failures;
  let posts = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'POST') posts++;
    if (req.method === 'POST' && left > 0) {
      left--;
      res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
      res.end('{"error":"service unavailable"}');
      return;
    }
    const headers: Record<string, string> = {};
    for (const k of ['authorization', 'content-type'])
      if (typeof req.headers[k] === 'string') headers[k] = req.headers[k];
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  const url = await listen(server);
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url, posts: () => posts };
}

async function listed(h: Harness): Promise<Map<string, Listed>> {
  const r = await h.call('GET', '/api/v1/images?limit=500');
  assert.equal(r.statusCode, 200);
  return new Map((r.json().items as Listed[]).map((i) => [i.digest, i]));
}

async function outputImages(path: string): Promise<ImageResult[]> {
  return ScanDocumentSchema.parse(JSON.parse(await readFile(path, 'utf8'))).images;
}

test('assay scan --apiurl reports to a real manager', async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'assay-scan-report-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const dbDir = join(work, 'db');
  await importFeedsDbDir(dbDir);
  const debian = (await ociInput(work, 'debian', debianImage)).input;
  const alpine = (await ociInput(work, 'alpine', alpineImage)).input;
  const h = await harness('pglite', t);
  const manager = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const scan = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runAssay(['scan', '-p', dbDir, ...args], { HOME: work, ...env });

  await t.test('each image arrives with the result and max CVSS the scan wrote', async () => {
    const out = join(work, 'ok.json');
    const r = await scan(['-o', out, '--apiurl', manager, debian, alpine], { ASSAY_TOKEN: h.tokens.scanner });
    assert.equal(r.code, 1, r.stderr); // debian FAILs; delivery worked, so the grade decides
    assert.doesNotMatch(r.stderr, /not delivered/);
    const local = await outputImages(out);
    const stored = await listed(h);
    assert.equal(local.length, 2);
    for (const image of local) {
      const row = stored.get(image.image.id);
      assert.ok(row, `${image.input} is in GET /api/v1/images`);
      assert.deepEqual([row.result, row.maxCvssV3], [image.result, image.maxCvssV3]);
    }
    assert.deepEqual(
      local.map((i) => i.result),
      ['FAIL', 'WARN'],
    );
    assert.ok((local[0]?.maxCvssV3 ?? 0) >= 7);
    // The same scan again is "unchanged" (200) for the manager, which is success too.
    const again = await scan(['-o', out, '-a', manager, '-t', h.tokens.scanner, '-f', '9', alpine]);
    assert.equal(again.code, 0, again.stderr);
  });

  await t.test('a wrong token: exit 3 with the reason, and the output file is still written', async () => {
    const out = join(work, 'bad-token.json');
    const before = (await listed(h)).size;
    const r = await scan(['-o', out, '-a', manager, '-t', 'assay_not-a-token', '-f', '9', alpine]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /the manager refused the token: check --token\/ASSAY_TOKEN/);
    assert.match(r.stderr, /answered 401/);
    assert.doesNotMatch(r.stderr, /after \d attempts/, 'a 401 is not retried');
    assert.equal((await outputImages(out))[0]?.result, 'WARN');
    assert.equal((await listed(h)).size, before);
    const viewer = await scan(['-o', out, '-a', manager, '-t', h.tokens.viewer, '-f', '9', alpine]);
    assert.equal(viewer.code, 3);
    assert.match(viewer.stderr, /may not submit results: use a scanner or admin token/);
  });

  await t.test('503 twice, then the manager takes it: delivered, exit by grade', async () => {
    await h.call(
      'DELETE',
      `/api/v1/images/${encodeURIComponent((await outputImages(join(work, 'bad-token.json')))[0]!.image.id)}`,
    );
    const proxy = await flakyProxy(manager, 2, t);
    const out = join(work, 'flaky.json');
    const r = await scan(['-o', out, '-a', proxy.url, '-t', h.tokens.scanner, alpine]);
    assert.equal(r.code, 0, r.stderr); // alpine WARNs: exit 0
    assert.equal(proxy.posts(), 3);
    const [image] = await outputImages(out);
    assert.equal((await listed(h)).get(image!.image.id)?.result, 'WARN');
  });

  await t.test('a manager that is down: exit 3, output file written', async () => {
    const out = join(work, 'down.json');
    const down = await closedPort();
    const r = await scan(['-o', out, '-a', down, '-t', h.tokens.scanner, '-f', '9', alpine]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /not delivered to the manager: POST .* failed: .*\(after 4 attempts\)/);
    assert.equal((await outputImages(out))[0]?.status, 'scanned');
  });
});
