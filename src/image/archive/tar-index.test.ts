import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { buildTar } from '../../test-support/oci-image.js';
import { BLOCK, decodeHeader } from './tar-header.js';
import { cleanArchivePath, TarIndex } from './tar-index.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-tar-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('cleanArchivePath normalises and refuses escapes', () => {
  assert.equal(cleanArchivePath('./a//b/./c'), 'a/b/c');
  assert.equal(cleanArchivePath('/abs/x'), 'abs/x');
  assert.equal(cleanArchivePath('a/../b'), 'b');
  assert.equal(cleanArchivePath('../etc/passwd'), undefined);
  assert.equal(cleanArchivePath('a/../../b'), undefined);
});

test('indexes members written by tar-stream, with links resolved', async (t) => {
  const dir = await tempDir(t);
  const long = `${'d'.repeat(120)}/${'f'.repeat(120)}.json`;
  const tar = await buildTar([
    { path: 'blobs/', type: 'dir' },
    { path: 'blobs/data', content: 'hello world' },
    { path: long, content: '{"long":true}' },
    { path: 'id1/layer.tar', type: 'symlink', linkname: '../blobs/data' },
    { path: 'hard', type: 'hardlink', linkname: 'blobs/data' },
    { path: 'loop-a', type: 'symlink', linkname: 'loop-b' },
    { path: 'loop-b', type: 'symlink', linkname: 'loop-a' },
    { path: 'escape', type: 'symlink', linkname: '../../etc/passwd' },
  ]);
  const file = join(dir, 'a.tar');
  await writeFile(file, tar);
  const index = await TarIndex.open(file);
  assert.equal((await index.read('blobs/data', 100)).toString(), 'hello world');
  assert.equal((await index.read(long, 100)).toString(), '{"long":true}');
  assert.equal((await index.read('id1/layer.tar', 100)).toString(), 'hello world');
  assert.equal((await index.read('./hard', 100)).toString(), 'hello world');
  assert.equal((await collect(await index.open('blobs/data', { start: 6 }))).toString(), 'world');
  assert.equal((await index.readRange('blobs/data', 0, 5)).toString(), 'hello');
  assert.equal(await index.size('missing'), undefined);
  await assert.rejects(
    index.read('loop-a', 100),
    (e) => isAssayError(e, 'corrupt-archive') && /link loop/.test(e.message),
  );
  await assert.rejects(index.read('escape', 100), (e) => isAssayError(e, 'unsafe-path'));
  await assert.rejects(
    index.read('blobs', 100),
    (e) => isAssayError(e, 'corrupt-archive') && /directory/.test(e.message),
  );
  await assert.rejects(index.read('blobs/data', 4), (e) => isAssayError(e, 'too-large'));
  await assert.rejects(
    index.read('nope', 4),
    (e) => isAssayError(e, 'not-found') && e.message.includes(file),
  );
});

test('reads GNU (long-name L records) and POSIX pax archives made by GNU tar', async (t) => {
  const dir = await tempDir(t);
  const deep = join(dir, 'src', 'x'.repeat(90), 'y'.repeat(90));
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, 'z'.repeat(60)), 'deep content');
  await symlink(join('x'.repeat(90), 'y'.repeat(90), 'z'.repeat(60)), join(dir, 'src', 'link'));
  for (const format of ['gnu', 'posix']) {
    const file = join(dir, `${format}.tar`);
    execFileSync('tar', ['-C', join(dir, 'src'), `--format=${format}`, '-cf', file, '.']);
    const index = await TarIndex.open(file);
    const name = `${'x'.repeat(90)}/${'y'.repeat(90)}/${'z'.repeat(60)}`;
    assert.equal((await index.read(name, 100)).toString(), 'deep content', format);
    assert.equal((await index.read('link', 100)).toString(), 'deep content', format);
  }
});

test('member names with .. are never indexed and cannot be looked up', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'evil.tar');
  await writeFile(
    file,
    await buildTar([
      { path: '../evil', content: 'x' },
      { path: 'ok', content: 'y' },
    ]),
  );
  const index = await TarIndex.open(file);
  assert.deepEqual(index.unsafeNames, ['../evil']);
  assert.deepEqual(index.names(), ['ok']);
  await assert.rejects(index.read('../evil', 10), (e) => isAssayError(e, 'unsafe-path'));
});

test('truncated archives and non-tars are corrupt-archive errors naming file and member', async (t) => {
  const dir = await tempDir(t);
  const tar = await buildTar([
    { path: 'first', content: 'a'.repeat(2000) },
    { path: 'second', content: 'b'.repeat(3000) },
  ]);
  const mid = join(dir, 'mid.tar');
  await writeFile(mid, tar);
  await truncate(mid, BLOCK * 7);
  await assert.rejects(
    TarIndex.open(mid),
    (e) => isAssayError(e, 'corrupt-archive') && e.message.includes(mid) && /second/.test(e.message),
  );
  const noEnd = join(dir, 'noend.tar');
  await writeFile(noEnd, tar.subarray(0, BLOCK * 5));
  await assert.rejects(
    TarIndex.open(noEnd),
    (e) => isAssayError(e, 'corrupt-archive') && /first/.test(e.message) && /end-of-archive/.test(e.message),
  );
  const junk = join(dir, 'junk.tar');
  await writeFile(junk, Buffer.alloc(4096, 0x41));
  await assert.rejects(
    TarIndex.open(junk),
    (e) => isAssayError(e, 'corrupt-archive') && /checksum/.test(e.message),
  );
  await assert.rejects(TarIndex.open(join(dir, 'absent.tar')), (e) => isAssayError(e, 'not-found'));
});

test('decodes base-256 sizes (GNU extension for members of 8 GiB and more)', async () => {
  const tar = await buildTar([{ path: 'big', content: 'x' }]);
  const header = Buffer.from(tar.subarray(0, BLOCK));
  header.fill(0, 124, 136);
  header[124] = 0x80;
  header.writeUIntBE(9 * 2 ** 30, 136 - 6, 6);
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const h = decodeHeader(header);
  assert.ok(typeof h !== 'string');
  assert.equal(h.size, 9 * 2 ** 30);
  assert.equal(h.name, 'big');
});

test('indexing reads headers only: a large body costs no reading', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'big.tar');
  await writeFile(
    file,
    await buildTar([
      { path: 'big', content: Buffer.alloc(8 << 20, 1) },
      { path: 'small', content: 's' },
    ]),
  );
  const started = process.hrtime.bigint();
  const index = await TarIndex.open(file);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 500);
  assert.equal(index.resolve('big').size, 8 << 20);
  assert.deepEqual(await index.read('small', 10), Buffer.from('s'));
  assert.equal((await readFile(file)).length, index.fileSize);
});
