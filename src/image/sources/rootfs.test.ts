import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';
import { isAssayError } from '../../model/errors.js';
import { sha256Digest } from '../digest.js';
import { hostPlatform } from '../platform.js';
import { openRootfs } from './rootfs.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-rootfs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

interface Entry {
  type: string;
  linkname?: string | undefined;
  content: string;
}

/** Parses the generated layer with tar-stream's extractor, as the layer walker would see it. */
async function entries(layer: Readable): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  const extract = tar.extract();
  layer.on('error', (err) => extract.destroy(err));
  layer.pipe(extract);
  for await (const e of extract) {
    const chunks: Buffer[] = [];
    for await (const c of e) chunks.push(c as Buffer);
    out.set(e.header.name, {
      type: e.header.type,
      linkname: e.header.linkname ?? undefined,
      content: Buffer.concat(chunks).toString(),
    });
  }
  return out;
}

async function makeTree(root: string): Promise<void> {
  await mkdir(join(root, 'etc', 'apt'), { recursive: true });
  await writeFile(join(root, 'etc', 'os-release'), 'ID=debian\n');
  await writeFile(join(root, 'etc', 'apt', 'sources.list'), 'deb x');
  await writeFile(join(root, 'big.bin'), Buffer.alloc(3 << 20, 9));
  await symlink('/etc/passwd', join(root, 'outside'));
  await symlink('../../../../..', join(root, 'etc', 'up'));
  await symlink('loop-b', join(root, 'loop-a'));
  await symlink('loop-a', join(root, 'loop-b'));
  await symlink('.', join(root, 'etc', 'self'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
}

test('dir: streams the tree as one tar layer, links kept as links and never followed', async (t) => {
  const root = join(await tempDir(t), 'rootfs');
  await makeTree(root);
  const server = createServer();
  await new Promise<void>((r) => server.listen(join(root, 'agent.sock'), r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const warned: string[] = [];
  const src = await openRootfs(`dir:${root}`, root, {
    onWarning: (w) => warned.push(`${w.path}: ${w.reason}`),
  });
  const d = await src.describe();
  assert.equal(d.imageId, sha256Digest(`dir:${await realpath(root)}`));
  assert.deepEqual(
    [d.source, d.repository, d.layers.length, d.layers[0]!.diffId, d.platform],
    ['rootfs', 'rootfs', 1, '', hostPlatform()],
  );
  const got = await entries(await src.openLayer(d.layers[0]!));
  assert.equal(got.get('etc/os-release')?.content, 'ID=debian\n');
  assert.equal(got.get('etc/apt/sources.list')?.content, 'deb x');
  assert.equal(got.get('big.bin')?.content.length, 3 << 20);
  assert.deepEqual(got.get('outside'), { type: 'symlink', linkname: '/etc/passwd', content: '' });
  assert.deepEqual(
    [got.get('etc/up')?.linkname, got.get('loop-a')?.linkname, got.get('etc/self')?.type],
    ['../../../../..', 'loop-b', 'symlink'],
  );
  assert.equal(got.get('fifo')?.type, 'fifo');
  assert.ok(!got.has('agent.sock'));
  assert.deepEqual(warned, ['agent.sock: socket (cannot be stored in a tar), skipped']);
  assert.deepEqual(
    src.warnings.map((w) => w.path),
    ['agent.sock'],
  );
  assert.ok([...got.keys()].every((k) => !k.startsWith('/') && !k.split('/').includes('..')));
});

test('dir: a consumer that stops early, or an abort, ends the walk', async (t) => {
  const root = await tempDir(t);
  await makeTree(root);
  const src = await openRootfs('dir:x', root);
  const layer = await src.openLayer((await src.describe()).layers[0]!);
  for await (const _ of layer) break;
  assert.ok(layer.destroyed);
  const ac = new AbortController();
  const aborted = await src.openLayer((await src.describe()).layers[0]!, ac.signal);
  ac.abort();
  await assert.rejects(entries(aborted));
});

test('dir: bad paths, explicit platform', async (t) => {
  const root = await tempDir(t);
  await writeFile(join(root, 'file'), 'x');
  await assert.rejects(openRootfs('dir:nope', join(root, 'nope')), (e) => isAssayError(e, 'not-found'));
  await assert.rejects(openRootfs('dir:file', join(root, 'file')), (e) => isAssayError(e, 'usage'));
  const src = await openRootfs('dir:x', root, { platform: { os: 'linux', architecture: 'arm64' } });
  assert.equal((await src.describe()).platform.architecture, 'arm64');
  await assert.rejects(src.openLayer({ index: 1, digest: '', diffId: '', size: -1, mediaType: '' }), (e) =>
    isAssayError(e, 'not-found'),
  );
});

/**
 * Root reads everything, so the unreadable case runs in a child process as `nobody` when we
 * are root; otherwise chmod 000 is enough in-process.
 */
test('dir: unreadable files and directories are skipped with a warning', async (t) => {
  const root = await tempDir(t);
  await chmod(root, 0o755);
  await mkdir(join(root, 'tree', 'private'), { recursive: true });
  await writeFile(join(root, 'tree', 'secret'), 'no');
  await writeFile(join(root, 'tree', 'public'), 'yes');
  await writeFile(join(root, 'tree', 'private', 'inner'), 'no');
  await chmod(join(root, 'tree', 'secret'), 0o000);
  await chmod(join(root, 'tree', 'private'), 0o000);
  const module = fileURLToPath(new URL('./rootfs.ts', import.meta.url));
  const script = join(root, 'probe.mts');
  await writeFile(
    script,
    `import { openRootfs } from ${JSON.stringify(module)};
const src = await openRootfs('dir:t', ${JSON.stringify(join(root, 'tree'))});
const names = [];
const tarStream = await src.openLayer((await src.describe()).layers[0]);
for await (const _ of tarStream) {}
console.log(JSON.stringify(src.warnings.map((w) => w.path).sort()));`,
  );
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
    ...asNobody,
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../../../', import.meta.url)),
    env: { ...process.env, HOME: root },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)!), ['private', 'secret']);
});
