/**
 * Delivery to the manager against a scripted HTTP server (the real manager is exercised end to
 * end in src/cli/commands/scan-report.test.ts), and `scanImages` handing each result over as
 * soon as its image is done.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { digest, imageResult } from '../server/testing/fixtures.js';
import { backoffMs, deliverResult, parseRetryAfter } from './deliver.js';
import { scanImages } from './scan.js';
import { memoryDb } from './testing/advisories.js';
import { allAdvisories, alpineImage, debianImage } from './testing/fixtures.js';
import { ociInput } from './testing/images.js';

type Answer = { status: number; headers?: Record<string, string>; body?: string };

/** Answers POSTs from the script in order (the last answer repeats). */
async function scripted(t: { after: (fn: () => unknown) => void }, answers: Answer[]) {
  let posts = 0;
  const server = createServer(async (req, res) => {
    for await (const _ of req);
    const a = answers[Math.min(posts++, answers.length - 1)] ?? { status: 500 };
    res.writeHead(a.status, a.headers ?? {}).end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts: () => posts };
}

const doc = imageResult({ digest: digest('dl'), repository: 'acme/app' });

test('Retry-After: seconds, an HTTP-date, or nothing usable', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(' 0 '), 0);
  const now = Date.parse('2026-11-30T07:00:00Z');
  assert.equal(parseRetryAfter('Mon, 30 Nov 2026 07:00:10 GMT', now), 10_000);
  assert.equal(parseRetryAfter('Mon, 30 Nov 2026 06:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter('-5'), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});

test('backoff doubles with full jitter, Retry-After is a floor, and no wait exceeds the cap', () => {
  const opts = { apiUrl: 'http://x', baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => backoffMs(n, undefined, opts)),
    [50, 100, 200, 400, 800],
  );
  assert.equal(backoffMs(6, undefined, opts), 1000);
  assert.equal(backoffMs(1, 700, opts), 700);
  assert.equal(backoffMs(1, 60_000, opts), 1000);
  assert.equal(backoffMs(3, undefined, { ...opts, random: () => 0 }), 0);
});

test('429 and 503 are retried, waiting what Retry-After asks; 201 after them is success', async (t) => {
  const m = await scripted(t, [
    { status: 429, headers: { 'retry-after': '7' } },
    { status: 503, headers: { 'retry-after': '2' } },
    { status: 201, body: '{"outcome":"created"}' },
  ]);
  const waits: number[] = [];
  const sent = await deliverResult(doc, {
    apiUrl: m.url,
    token: 't',
    sleep: async (ms) => void waits.push(ms),
    random: () => 0,
  });
  assert.deepEqual(sent, { ok: true, status: 201, attempts: 3 });
  assert.deepEqual(waits, [7000, 2000]);
});

test('200 (unchanged or stale) is success; 4xx are final with the reason', async (t) => {
  const ok = await scripted(t, [{ status: 200 }]);
  assert.deepEqual(await deliverResult(doc, { apiUrl: ok.url }), { ok: true, status: 200, attempts: 1 });
  for (const [status, reason] of [
    [400, /the manager rejected the result document: .*answered 400.*: body\.scannedAt: required/],
    [401, /the manager refused the token: check --token\/ASSAY_TOKEN/],
    [403, /may not submit results/],
    [413, /larger than the manager's body limit/],
  ] as const) {
    const m = await scripted(t, [
      { status, body: status === 400 ? '{"error":"body.scannedAt: required"}' : '' },
    ]);
    const sent = await deliverResult(doc, { apiUrl: m.url, sleep: async () => {} });
    assert.equal(sent.ok, false);
    assert.equal(m.posts(), 1, `${status} is not retried`);
    if (!sent.ok) assert.match(sent.reason, reason);
  }
});

test('every attempt failing: the last reason and the number of attempts', async (t) => {
  const m = await scripted(t, [{ status: 502, body: 'bad gateway' }]);
  const sent = await deliverResult(doc, { apiUrl: m.url, attempts: 3, sleep: async () => {} });
  assert.equal(m.posts(), 3);
  assert.equal(sent.ok, false);
  if (!sent.ok) assert.match(sent.reason, /answered 502 .*bad gateway \(after 3 attempts\)/);
});

test('scanImages hands over each result as soon as its image is done', async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'assay-deliver-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const debian = (await ociInput(work, 'debian', debianImage)).input;
  const alpine = (await ociInput(work, 'alpine', alpineImage)).input;
  const events: string[] = [];
  const results = await scanImages(
    [debian, alpine],
    { db: memoryDb(allAdvisories), onProgress: (input) => events.push(`progress ${input}`) },
    { concurrency: 1, onResult: (r, i) => events.push(`result ${i} ${r.input}`) },
  );
  assert.deepEqual(
    results.map((r) => r.input),
    [debian, alpine],
  );
  const firstResult = events.indexOf(`result 0 ${debian}`);
  const alpineStarts = events.indexOf(`progress ${alpine}`);
  assert.ok(firstResult >= 0 && alpineStarts >= 0, events.join('\n'));
  assert.ok(firstResult < alpineStarts, 'the first result is out before the second image is read');
  assert.equal(events.at(-1), `result 1 ${alpine}`);
});
