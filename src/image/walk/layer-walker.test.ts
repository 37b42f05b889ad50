import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tarStream from 'tar-stream';
import { walkLayer } from './layer-walker.js';
import { collect, entries, gnuTar, issues, streamOf, tempDir, writeTree } from './testkit.test.js';
import type { FileContent } from './types.js';

const LONG_DIR = `usr/share/${'deep-directory-name/'.repeat(8)}`;
const LONG_FILE = `${LONG_DIR}${'f'.repeat(120)}.txt`;
/** 150 bytes: GNU format needs an `L` header, POSIX ustar the prefix field. */
const MEDIUM_FILE = `usr/share/${'medium-dir/'.repeat(13)}file.txt`;

describe('walkLayer on archives written by GNU tar', () => {
  const dir = tempDir();
  before(() => {
    writeTree(dir.path, {
      'etc/os-release': 'ID=debian\nVERSION_ID=12\n',
      'usr/bin/which': '#!/bin/sh\n',
      'usr/lib/libc.so.6': 'ELF',
      [LONG_FILE]: 'long name',
      [MEDIUM_FILE]: 'medium name',
      'lib/x86_64': { symlink: `/${'t'.repeat(150)}/lib` },
      'bin/sh': { symlink: 'dash' },
    });
    linkSync(join(dir.path, 'usr/lib/libc.so.6'), join(dir.path, 'usr/lib/libc-hard.so'));
    execFileSync('mkfifo', [join(dir.path, 'etc/fifo')]);
  });
  after(() => dir.remove());

  for (const format of ['gnu', 'posix', 'ustar'] as const) {
    it(`reads --format=${format}: names, types, links, long names and wanted contents`, async () => {
      // ustar stores neither a 150-byte link target nor a name beyond 256 bytes: leave those out.
      const extra = format === 'ustar' ? ['--exclude=./lib/x86_64', `--exclude=./${LONG_FILE}`] : [];
      const seen = await collect(gnuTar(dir.path, format, extra), {
        wants: (path) => path === 'etc/os-release' || path === LONG_FILE || path === MEDIUM_FILE,
      });
      const byPath = new Map(entries(seen).map((e) => [e.path, e]));
      assert.deepEqual(issues(seen), []);
      assert.equal(byPath.get('etc')?.type, 'dir');
      assert.equal(byPath.get('etc/fifo')?.type, 'other');
      assert.equal(byPath.get('usr/bin/which')?.type, 'file');
      assert.equal(byPath.get('bin/sh')?.linkname, 'dash');
      assert.equal(byPath.get(MEDIUM_FILE)?.size, 11);
      if (format !== 'ustar') assert.equal(byPath.get('lib/x86_64')?.linkname, `/${'t'.repeat(150)}/lib`);
      const hard = [byPath.get('usr/lib/libc.so.6'), byPath.get('usr/lib/libc-hard.so')];
      assert.deepEqual(hard.map((e) => e?.type).sort(), ['file', 'hardlink']);
      const link = hard.find((e) => e?.type === 'hardlink');
      assert.match(link?.linkname ?? '', /^usr\/lib\/libc(-hard)?\.so(\.6)?$/);
      assert.equal(link?.size, 0);
      const texts = seen.flatMap((s) =>
        s.kind === 'entry' && s.text !== undefined ? [[s.entry.path, s.text]] : [],
      );
      assert.deepEqual(Object.fromEntries(texts), {
        'etc/os-release': 'ID=debian\nVERSION_ID=12\n',
        [MEDIUM_FILE]: 'medium name',
        ...(format === 'ustar' ? {} : { [LONG_FILE]: 'long name' }),
      });
      assert.ok(entries(seen).every((e) => !e.path.startsWith('.') && !e.path.endsWith('/')));
    });
  }

  it('gives wants() the cleaned path, the size and the entry, and only for regular files', async () => {
    const asked: string[] = [];
    await collect(gnuTar(dir.path, 'gnu'), {
      wants: (path, size, entry) => {
        asked.push(`${path}:${size}:${entry.type}`);
        return false;
      },
    });
    assert.ok(asked.includes('etc/os-release:24:file'));
    assert.ok(asked.every((a) => a.endsWith(':file')));
  });

  it('reads the same archive identically whatever the chunking', async () => {
    const tar = gnuTar(dir.path, 'posix');
    const reference = await collect(streamOf(tar, 65536), { wants: () => true });
    for (const chunk of [1, 7, 511, 513, 4096]) {
      assert.deepEqual(
        await collect(streamOf(tar, chunk), { wants: () => true }),
        reference,
        `chunk ${chunk}`,
      );
    }
  });
});

describe('walkLayer on archives written by tar-stream', () => {
  it('reads pax headers written for long and non-ASCII names', async () => {
    const pack = tarStream.pack();
    const name = `opt/ünïcödé/${'x'.repeat(200)}`;
    pack.entry({ name, mode: 0o600, uid: 1000, gid: 1000 }, 'hello');
    pack.entry({ name: 'opt/link', type: 'symlink', linkname: '../etc/passwd' });
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    const seen = await collect(Buffer.concat(chunks), { wants: () => true });
    assert.deepEqual(seen, [
      {
        kind: 'entry',
        entry: {
          path: name,
          type: 'file',
          size: 5,
          mode: 0o600,
          uid: 1000,
          gid: 1000,
          mtime: seen[0]?.kind === 'entry' ? seen[0].entry.mtime : 0,
        },
        text: 'hello',
      },
      {
        kind: 'entry',
        entry: {
          path: 'opt/link',
          type: 'symlink',
          size: 0,
          mode: 0o644,
          uid: 0,
          gid: 0,
          mtime: entries(seen)[1]?.mtime,
          linkname: '../etc/passwd',
        },
      },
    ]);
  });
});

describe('wanted contents', () => {
  const dir = tempDir();
  const spill = tempDir('assay-spill-');
  const big = Buffer.alloc(300_000, 'b');
  before(() =>
    writeTree(dir.path, { 'small.txt': 'small', 'big.bin': big, 'huge.bin': Buffer.alloc(70_000) }),
  );
  after(() => {
    dir.remove();
    spill.remove();
  });

  it('keeps small files in memory and spills big ones, deleting each spill file when the walk moves on', async () => {
    const tar = gnuTar(dir.path, 'gnu');
    const contents: Array<[string, FileContent]> = [];
    for await (const event of walkLayer(streamOf(tar), {
      wants: () => true,
      spillDir: spill.path,
      spillThreshold: 100_000,
      limits: { maxFileBytes: 400_000 },
    })) {
      if (event.kind !== 'entry' || !event.content) continue;
      const inSpill = readdirSync(spill.path);
      assert.equal(inSpill.length, event.entry.size > 100_000 ? 1 : 0, event.entry.path);
      if (event.entry.path === 'big.bin') {
        assert.ok((await event.content.read()).equals(big));
        const streamed: Buffer[] = [];
        for await (const chunk of event.content.stream()) streamed.push(chunk as Buffer);
        assert.ok(Buffer.concat(streamed).equals(big));
      }
      contents.push([event.entry.path, event.content]);
    }
    assert.deepEqual(readdirSync(spill.path), []);
    assert.deepEqual(contents.map(([p]) => p).sort(), ['big.bin', 'huge.bin', 'small.txt']);
    for (const [path, content] of contents) {
      await assert.rejects(
        content.read(),
        { code: 'internal', message: /used after the walk moved on/ },
        path,
      );
    }
  });

  it('removes the spill file when the consumer stops early', async () => {
    const tar = gnuTar(dir.path, 'gnu');
    for await (const event of walkLayer(streamOf(tar), {
      wants: () => true,
      spillDir: spill.path,
      spillThreshold: 10,
    })) {
      if (event.kind === 'entry' && event.content && event.entry.size > 10) {
        assert.equal(readdirSync(spill.path).length, 1);
        break;
      }
    }
    assert.deepEqual(readdirSync(spill.path), []);
  });

  it('reports a wanted file above maxFileBytes as an issue naming the layer and limit, and keeps the entry', async () => {
    const seen = await collect(gnuTar(dir.path, 'gnu'), {
      wants: () => true,
      limits: { maxFileBytes: 100_000 },
      layerLabel: 'layer 2 (sha256:abc…)',
    });
    const problem = issues(seen);
    assert.deepEqual(
      problem.map((i) => i.code),
      ['file-too-large'],
    );
    assert.match(
      problem[0]?.message ?? '',
      /^layer 2 \(sha256:abc…\): big\.bin is 292\.97 KiB, above the 97\.66 KiB limit .*maxFileBytes/,
    );
    assert.ok(entries(seen).some((e) => e.path === 'big.bin'));
    assert.equal(seen.filter((s) => s.kind === 'entry' && s.text !== undefined).length, 2);
  });

  it('hashes the files `digests` asks for as they pass, spilled or not wanted, without taking their bytes', async () => {
    const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    const hashes = new Map<string, string | undefined>();
    const texts = new Map<string, string>();
    for await (const event of walkLayer(streamOf(gnuTar(dir.path, 'gnu')), {
      wants: (path) => path !== 'huge.bin',
      digests: (path) => path !== 'small.txt',
      spillDir: spill.path,
      spillThreshold: 100_000,
      limits: { maxFileBytes: 400_000 },
    })) {
      if (event.kind !== 'entry' || event.entry.type !== 'file') continue;
      hashes.set(event.entry.path, event.sha256);
      if (event.content) texts.set(event.entry.path, (await event.content.read()).toString('latin1'));
    }
    assert.deepEqual(Object.fromEntries(hashes), {
      'big.bin': sha(big),
      'huge.bin': sha(Buffer.alloc(70_000)),
      'small.txt': undefined,
    });
    // Hashing a held file (big.bin is spilled) must leave its bytes intact for the consumer.
    assert.deepEqual(Object.fromEntries(texts), { 'small.txt': 'small', 'big.bin': big.toString('latin1') });
  });
});
