import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { AssayError } from '../../model/errors.js';
import type { LayerRef } from '../types.js';
import { type CachedLayer, type LayerVisitor, layerLabel, walkImage } from './image-walker.js';
import { archive, fileEntry, header, streamOf } from './testkit.test.js';

interface Layer {
  ref: LayerRef;
  blob: Buffer;
}

function layer(index: number, tar: Buffer): Layer {
  const blob = gzipSync(tar);
  const digest = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
  return {
    ref: { index, digest: digest(blob), diffId: digest(tar), size: blob.length, mediaType: 'tar+gzip' },
    blob,
  };
}

/** Base layer; whiteout + opaque directory; an upgrade. */
const TARS = [
  [
    header({ name: 'etc/', type: '5' }),
    fileEntry('etc/os-release', 'ID=debian\n'),
    fileEntry('etc/motd', 'hi'),
    fileEntry('opt/app/old.jar', 'old'),
  ],
  [fileEntry('etc/.wh.motd'), fileEntry('opt/app/.wh..wh..opq'), fileEntry('opt/app/new.jar', 'new')],
  [fileEntry('etc/os-release', 'ID=ubuntu\n'), fileEntry('usr/bin/which', '#!')],
];
const LAYERS = TARS.map((parts, index) => layer(index, archive(...parts)));

/** Opens layer blobs, the lowest layer slowest, so layers finish in reverse order. */
function opener(layers: Layer[], log: string[] = []) {
  return async (ref: LayerRef): Promise<Readable> => {
    log.push(`open ${ref.index}`);
    await sleep((layers.length - ref.index) * 30);
    return streamOf(layers[ref.index]!.blob, 100);
  };
}

/** Collects wanted files' text per layer. */
function textVisitor(): (ref: LayerRef) => LayerVisitor<string[]> {
  return () => {
    const texts: string[] = [];
    return {
      wants: (path) => path === 'etc/os-release',
      onEvent: async (event) => {
        if (event.kind === 'entry' && event.content) texts.push((await event.content.read()).toString());
      },
      finish: () => texts,
    };
  };
}

const listing = (walk: { tree: { entries(): Iterable<{ path: string; layer: number }> } }): string[] =>
  [...walk.tree.entries()].map((e) => `${e.path}@${e.layer}`);

describe('walkImage', () => {
  it('walks layers concurrently and applies them in order, whatever order they finish in', async () => {
    const walk = await walkImage(
      LAYERS.map((l) => l.ref),
      opener(LAYERS),
      { visitor: textVisitor() },
    );
    assert.deepEqual(walk.errors, []);
    assert.deepEqual(listing(walk), [
      'etc@0',
      'etc/os-release@2',
      'opt@0',
      'opt/app@0',
      'opt/app/new.jar@1',
      'usr@2',
      'usr/bin@2',
      'usr/bin/which@2',
    ]);
    assert.deepEqual(
      walk.layers.map((l) => [l.status, l.result]),
      [
        ['walked', ['ID=debian\n']],
        ['walked', []],
        ['walked', ['ID=ubuntu\n']],
      ],
    );
    assert.equal(walk.tree.deletedIn('etc/motd'), 1);
    assert.equal(walk.tree.deletedIn('opt/app/old.jar'), 1);
  });

  it('keeps at most `concurrency` layers open at once', async () => {
    let open = 0;
    let peak = 0;
    const layers = Array.from({ length: 6 }, (_, i) => layer(i, archive(fileEntry(`f${i}`, 'x'))));
    await walkImage(
      layers.map((l) => l.ref),
      async (ref) => {
        open++;
        peak = Math.max(peak, open);
        await sleep(10);
        const stream = streamOf(layers[ref.index]!.blob);
        stream.on('close', () => open--);
        return stream;
      },
      { visitor: textVisitor(), concurrency: 2 },
    );
    assert.equal(peak, 2);
  });

  it('reports a corrupt layer, walks the others, and leaves the failed layer out of the tree', async () => {
    const broken = { ...LAYERS[1]!, blob: LAYERS[1]!.blob.subarray(0, 40) };
    const walk = await walkImage(
      [LAYERS[0]!.ref, broken.ref, LAYERS[2]!.ref],
      opener([LAYERS[0]!, broken, LAYERS[2]!]),
      {
        visitor: textVisitor(),
      },
    );
    assert.deepEqual(
      walk.layers.map((l) => l.status),
      ['walked', 'failed', 'walked'],
    );
    assert.equal(walk.errors.length, 1);
    assert.equal(walk.errors[0]?.error.code, 'corrupt-layer');
    assert.equal(
      walk.errors[0]?.error.message.startsWith(`${layerLabel(broken.ref)}: unexpected end of gzip stream`),
      true,
    );
    assert.match(layerLabel(broken.ref), /^layer 1 \(sha256:[0-9a-f]{12}…\)$/);
    assert.ok(listing(walk).includes('etc/motd@0'));
  });

  it('with failFast, aborts the other layers at the first failure', async () => {
    const hanging = async (ref: LayerRef, signal: AbortSignal): Promise<Readable> => {
      if (ref.index === 0) return streamOf(Buffer.from('not a tar, not gzip'));
      await sleep(10_000, undefined, { signal });
      throw new Error('unreachable');
    };
    const started = Date.now();
    const walk = await walkImage(
      LAYERS.map((l) => l.ref),
      hanging,
      { visitor: textVisitor(), failFast: true, concurrency: 3 },
    );
    assert.ok(Date.now() - started < 5_000);
    assert.deepEqual(
      walk.layers.map((l) => l.status),
      ['failed', 'failed', 'failed'],
    );
    assert.equal(walk.errors[0]?.error.code, 'corrupt-layer');
    assert.deepEqual(
      walk.errors.slice(1).map((e) => e.error.code),
      ['aborted', 'aborted'],
    );
  });

  it('skips cached layers without opening them, and hands walked layers to onWalked', async () => {
    const stored = new Map<string, CachedLayer<string[]>>();
    const first = await walkImage(
      LAYERS.map((l) => l.ref),
      opener(LAYERS),
      { visitor: textVisitor(), onWalked: async (ref, walked) => void stored.set(ref.diffId, walked) },
    );
    assert.equal(stored.size, 3);
    const log: string[] = [];
    const second = await walkImage(
      LAYERS.map((l) => l.ref),
      opener(LAYERS, log),
      {
        visitor: textVisitor(),
        cached: async (ref) =>
          ref.index < 2 ? JSON.parse(JSON.stringify(stored.get(ref.diffId))) : undefined,
      },
    );
    assert.deepEqual(log, ['open 2']);
    assert.deepEqual(
      second.layers.map((l) => l.status),
      ['cached', 'cached', 'walked'],
    );
    assert.deepEqual(listing(second), listing(first));
    assert.deepEqual(
      second.layers.map((l) => l.result),
      first.layers.map((l) => l.result),
    );
  });

  it('turns a failing layer cache into an issue, and names the layer in the source’s own errors', async () => {
    const walk = await walkImage(
      [LAYERS[0]!.ref, LAYERS[1]!.ref],
      async (ref) => {
        if (ref.index === 1) throw new AssayError('not-found', 'blob sha256:abc not found');
        return streamOf(LAYERS[0]!.blob);
      },
      {
        visitor: textVisitor(),
        cached: async () => {
          throw new Error('cache file is corrupt');
        },
      },
    );
    assert.deepEqual(
      walk.layers.map((l) => l.status),
      ['walked', 'failed'],
    );
    assert.deepEqual(walk.layers[0]?.issues, [
      {
        code: 'layer-cache',
        message: `${layerLabel(LAYERS[0]!.ref)}: could not read the layer cache: cache file is corrupt`,
      },
    ]);
    assert.equal(walk.errors[0]?.error.code, 'not-found');
    assert.equal(walk.errors[0]?.error.message, `${layerLabel(LAYERS[1]!.ref)}: blob sha256:abc not found`);
  });

  it('verifies diffIds when asked', async () => {
    const lying = { ...LAYERS[0]!, ref: { ...LAYERS[0]!.ref, diffId: LAYERS[1]!.ref.diffId } };
    const walk = await walkImage([lying.ref], opener([lying]), {
      visitor: textVisitor(),
      verifyDiffIds: true,
    });
    assert.equal(walk.errors[0]?.error.code, 'digest-mismatch');
    assert.match(
      walk.errors[0]?.error.message ?? '',
      /^layer 0 \(sha256:[0-9a-f]{12}…\): uncompressed layer .* expected diffId sha256:/,
    );
  });

  it('fails a layer whose visitor throws, with the layer named', async () => {
    const walk = await walkImage([LAYERS[0]!.ref], opener([LAYERS[0]!]), {
      visitor: () => ({
        wants: () => true,
        onEvent: async () => {
          throw new Error('analyzer bug');
        },
        finish: () => [],
      }),
    });
    assert.equal(walk.errors[0]?.error.code, 'internal');
    assert.match(walk.errors[0]?.error.message ?? '', /^layer 0 \(sha256:[0-9a-f]{12}…\): analyzer bug$/);
  });
});
