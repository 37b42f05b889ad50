import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LayerCache } from './layer-cache.js';

const diffId = `sha256:${'a'.repeat(64)}`;

async function tempCache(t: { after(fn: () => Promise<void>): void }, maxBytes?: number) {
  const dir = await mkdtemp(join(tmpdir(), 'assay-cache-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return new LayerCache(dir, maxBytes === undefined ? {} : { maxBytes });
}

test('key changes with producer version and options, and is absent without a digest', () => {
  const base = { layerDigest: diffId, producer: 'file-list', version: 1 };
  const k = LayerCache.keyOf(base);
  assert.match(k ?? '', /^[0-9a-f]{64}$/);
  assert.notEqual(LayerCache.keyOf({ ...base, version: 2 }), k);
  assert.notEqual(LayerCache.keyOf({ ...base, options: { secrets: true } }), k);
  assert.equal(
    LayerCache.keyOf({ ...base, options: { a: 1, b: 2 } }),
    LayerCache.keyOf({ ...base, options: { b: 2, a: 1 } }),
  );
  assert.equal(LayerCache.keyOf({ ...base, layerDigest: '' }), undefined);
});

test('round-trips values and treats corrupt entries as misses', async (t) => {
  const cache = await tempCache(t);
  const key = LayerCache.keyOf({ layerDigest: diffId, producer: 'p', version: 1 });
  assert.equal(await cache.get(key), undefined);
  await cache.put(key, { files: [['etc/passwd', 'file', 12]] });
  assert.deepEqual(await cache.get(key), { files: [['etc/passwd', 'file', 12]] });
  const shard = join(cache.dir, key!.slice(0, 2));
  const [name] = await readdir(shard);
  await writeFile(join(shard, name!), 'not gzip');
  assert.equal(await cache.get(key), undefined);
  assert.deepEqual(await readdir(shard), [], 'corrupt entry removed');
});

test('evicts least recently used entries beyond the size bound', async (t) => {
  const blob = { data: Array.from({ length: 40 }, (_, i) => `${i}-${i * 7919}`) };
  const probe = await tempCache(t);
  await probe.put(LayerCache.keyOf({ layerDigest: diffId, producer: 'probe', version: 1 }), blob);
  const one = (await probe.usage()).bytes;
  // Room for two entries, not three.
  const cache = await tempCache(t, one * 2 + 1);
  const keys = [1, 2, 3].map((v) => LayerCache.keyOf({ layerDigest: diffId, producer: 'p', version: v }));
  for (const k of keys) {
    await cache.put(k, blob);
    await cache.settle();
    await new Promise((r) => setTimeout(r, 20));
  }
  const { bytes } = await cache.usage();
  assert.ok(bytes <= one * 2 + 1, `cache holds ${bytes} bytes`);
  assert.notEqual(await cache.get(keys[2]), undefined, 'newest entry kept');
  assert.equal(await cache.get(keys[0]), undefined, 'oldest entry evicted');
  await cache.clean();
  assert.deepEqual(await cache.usage(), { entries: 0, bytes: 0 });
});
