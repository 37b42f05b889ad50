import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { AssayError } from '../../model/errors.js';
import { type OpenLayerOptions, openLayerTar, sniffCompression } from './decompress.js';
import {
  archive,
  collect,
  entries,
  fileEntry,
  gnuTar,
  streamOf,
  tempDir,
  writeTree,
} from './testkit.test.js';
import type { ZstdDecoder } from './zstd.js';

const LABEL = 'layer 1 (sha256:feedface0000…)';

function compress(tool: 'gzip' | 'zstd', data: Buffer, args: string[] = []): Buffer {
  return execFileSync(tool, ['-c', ...args], { input: data, maxBuffer: 1 << 30 });
}

async function drain(blob: Buffer | Readable, opts: OpenLayerOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const source = Buffer.isBuffer(blob) ? streamOf(blob, 1000) : blob;
  for await (const chunk of openLayerTar(source, { layerLabel: LABEL, ...opts }))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('openLayerTar', () => {
  const dir = tempDir();
  let tar: Buffer = Buffer.alloc(0);
  let diffId = '';
  before(() => {
    writeTree(dir.path, {
      'etc/os-release': 'ID=alpine\n',
      'usr/share/doc/big.txt': 'lorem ipsum dolor sit amet '.repeat(20_000),
      'var/lib/apk/db/installed': 'P:musl\nV:1.2.4-r2\n',
    });
    tar = gnuTar(dir.path, 'gnu');
    diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}`;
  });
  after(() => dir.remove());

  it('sniffs gzip, zstd and plain tar from the first bytes', () => {
    assert.equal(sniffCompression(gzipSync(Buffer.from('x'))), 'gzip');
    assert.equal(sniffCompression(compress('zstd', Buffer.from('x'))), 'zstd');
    assert.equal(sniffCompression(tar), 'none');
  });

  it('inflates gzip (one member or several) and plain tar to the same bytes', async () => {
    const half = 512 * 40;
    const multi = Buffer.concat([
      compress('gzip', tar.subarray(0, half)),
      compress('gzip', tar.subarray(half)),
    ]);
    for (const blob of [tar, compress('gzip', tar), multi]) {
      assert.ok((await drain(blob)).equals(tar));
    }
  });

  for (const decoder of ['binary', 'js'] as const satisfies readonly ZstdDecoder[]) {
    it(`inflates zstd with the ${decoder} decoder, one frame or several`, async () => {
      const half = 512 * 40;
      const multi = Buffer.concat([
        compress('zstd', tar.subarray(0, half)),
        compress('zstd', tar.subarray(half)),
      ]);
      for (const blob of [compress('zstd', tar, ['-19']), multi]) {
        assert.ok((await drain(blob, { zstdDecoder: decoder })).equals(tar));
      }
    });

    it(`reports truncated and corrupt zstd (${decoder} decoder) as corrupt-layer naming the layer`, async () => {
      const zst = compress('zstd', tar);
      await assert.rejects(drain(zst.subarray(0, zst.length - 100), { zstdDecoder: decoder }), {
        code: 'corrupt-layer',
        message:
          /^layer 1 \(sha256:feedface0000…\): unexpected end of zstd stream after \d+ compressed bytes/,
      });
      const corrupt = Buffer.from(zst);
      corrupt.fill(0xaa, 20, 60);
      await assert.rejects(drain(corrupt, { zstdDecoder: decoder }), (err: unknown) => {
        assert.ok(err instanceof AssayError);
        assert.equal(err.code, 'corrupt-layer');
        assert.match(
          err.message,
          /^layer 1 \(sha256:feedface0000…\): (corrupt|unexpected end of) zstd stream/,
        );
        return true;
      });
    });
  }

  it('reports a truncated gzip stream with the byte counts', async () => {
    const gz = compress('gzip', tar);
    const cut = Math.floor(gz.length / 2);
    await assert.rejects(drain(gz.subarray(0, cut)), {
      code: 'corrupt-layer',
      message: new RegExp(
        `^layer 1 \\(sha256:feedface0000…\\): unexpected end of gzip stream after ${cut} compressed bytes \\(\\d+ bytes uncompressed\\)$`,
      ),
    });
  });

  it('reports corrupt gzip data', async () => {
    const gz = Buffer.from(compress('gzip', tar));
    gz.fill(0x55, 200, 260);
    await assert.rejects(drain(gz), {
      code: 'corrupt-layer',
      message: /^layer 1 .*: corrupt gzip stream after \d+ compressed bytes/,
    });
  });

  it('verifies the diffId when asked, naming expected and actual digests', async () => {
    assert.ok((await drain(compress('gzip', tar), { expectedDiffId: diffId })).equals(tar));
    const wrong = `sha256:${'0'.repeat(64)}`;
    await assert.rejects(drain(compress('gzip', tar), { expectedDiffId: wrong }), {
      code: 'digest-mismatch',
      message: `${LABEL}: uncompressed layer (${tar.length} bytes from ${compress('gzip', tar).length} stored) has digest ${diffId}, expected diffId ${wrong}`,
    });
  });

  it('stops a gzip bomb at maxLayerBytes, and at maxCompressionRatio when the blob size is known', async () => {
    const bomb = gzipSync(archive(fileEntry('zeros', '\u0000'.repeat(20_000_000))));
    assert.ok(bomb.length < 100_000);
    await assert.rejects(drain(bomb, { limits: { maxLayerBytes: 1_000_000 } }), {
      code: 'too-large',
      message: `${LABEL}: uncompressed content exceeds the limit of 976.56 KiB (walk limit maxLayerBytes); raise maxLayerBytes if this layer is legitimate`,
    });
    await assert.rejects(drain(bomb, { compressedSize: bomb.length, limits: { maxCompressionRatio: 100 } }), {
      code: 'too-large',
      message:
        /^layer 1 .*: uncompressed content exceeds 100x its compressed size of .* \(walk limit maxCompressionRatio; a likely decompression bomb\)/,
    });
  });

  it('refuses xz and bzip2 layers with a clear message', async () => {
    const xz = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0]);
    await assert.rejects(drain(xz), {
      code: 'unsupported-media-type',
      message: `${LABEL}: the layer is xz-compressed, not supported`,
    });
  });

  it('passes the blob stream’s own error through unchanged', async () => {
    const failing = new Readable({
      read() {
        this.push(compress('gzip', tar).subarray(0, 2000));
        this.destroy(new AssayError('digest-mismatch', 'blob sha256:abc does not match'));
      },
    });
    await assert.rejects(drain(failing), {
      code: 'digest-mismatch',
      message: 'blob sha256:abc does not match',
    });
  });

  it('stops with aborted when the signal fires', async () => {
    const controller = new AbortController();
    // Pushed from a macrotask, like real I/O: a stream that is always ready would starve the timer.
    const endless = new Readable({
      read() {
        setImmediate(() => this.push(Buffer.alloc(65536)));
      },
    });
    const walk = collect(openLayerTar(endless, { layerLabel: LABEL, signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(walk, { code: 'aborted', message: /^layer 1 .*: aborted$/ });
    assert.ok(endless.destroyed);
  });

  it('feeds walkLayer end to end: gzip in, entries out', async () => {
    const seen = await collect(openLayerTar(streamOf(compress('gzip', tar), 777)), {
      wants: (p) => p.endsWith('installed'),
    });
    assert.deepEqual(
      entries(seen).map((e) => e.path),
      [
        'etc',
        'etc/os-release',
        'usr',
        'usr/share',
        'usr/share/doc',
        'usr/share/doc/big.txt',
        'var',
        'var/lib',
        'var/lib/apk',
        'var/lib/apk/db',
        'var/lib/apk/db/installed',
      ],
    );
    assert.deepEqual(
      seen.flatMap((s) => (s.kind === 'entry' && s.text ? [s.text] : [])),
      ['P:musl\nV:1.2.4-r2\n'],
    );
  });
});
