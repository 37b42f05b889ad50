/** OCI whiteout semantics, case by case: https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileTree } from './file-tree.js';
import type { EntryType, LayerEvent } from './types.js';

function entry(path: string, type: EntryType = 'file', linkname?: string): LayerEvent {
  const base = {
    path,
    type,
    size: type === 'file' ? path.length : 0,
    mode: type === 'dir' ? 0o755 : 0o644,
    uid: 0,
    gid: 0,
  };
  return { kind: 'entry', entry: linkname === undefined ? base : { ...base, linkname } };
}
const whiteout = (path: string): LayerEvent => ({ kind: 'whiteout', path });
const opaque = (dir: string): LayerEvent => ({ kind: 'opaque', dir });

function build(...layers: LayerEvent[][]): FileTree {
  const tree = new FileTree();
  layers.forEach((events, index) => {
    tree.beginLayer(index);
    for (const event of events) tree.apply(event);
  });
  return tree;
}

/** `path@layer` for every entry, in tree order. */
function listing(tree: FileTree): string[] {
  return [...tree.entries()].map((e) => `${e.path}@${e.layer}${e.type === 'dir' ? '/' : ''}`);
}

describe('FileTree whiteouts', () => {
  it('hides a lower-layer file and records which layer removed it', () => {
    const tree = build([entry('etc', 'dir'), entry('etc/a'), entry('etc/b')], [whiteout('etc/a')]);
    assert.deepEqual(listing(tree), ['etc@0/', 'etc/b@0']);
    assert.equal(tree.deletedIn('etc/a'), 1);
    assert.equal(tree.deletedIn('etc/b'), undefined);
  });

  it('does not hide what the same layer writes, before or after the marker', () => {
    const tree = build(
      [entry('etc/a')],
      [entry('etc/a'), whiteout('etc/a'), whiteout('etc/b'), entry('etc/b')],
    );
    // `etc` itself was not re-declared by layer 1, so layer 0 still owns it.
    assert.deepEqual(listing(tree), ['etc@0/', 'etc/a@1', 'etc/b@1']);
  });

  it('hides a whole lower directory, descendants included', () => {
    const tree = build(
      [entry('opt/app/bin/run'), entry('opt/app/lib/x.so'), entry('opt/keep')],
      [whiteout('opt/app')],
    );
    assert.deepEqual(listing(tree), ['opt@0/', 'opt/keep@0']);
    assert.equal(tree.deletedIn('opt/app/lib/x.so'), 1);
  });

  it('an opaque directory hides every lower child, wherever the marker sits in the tar', () => {
    // The spec's own example: a/.wh..wh..opq after the new a/b/c/foo is equivalent to before it.
    const base = [entry('a', 'dir'), entry('a/b', 'dir'), entry('a/b/c', 'dir'), entry('a/b/c/bar')];
    const after = build(base, [
      entry('a', 'dir'),
      entry('a/b', 'dir'),
      entry('a/b/c', 'dir'),
      entry('a/b/c/foo'),
      opaque('a'),
    ]);
    const before = build(base, [
      entry('a', 'dir'),
      opaque('a'),
      entry('a/b', 'dir'),
      entry('a/b/c', 'dir'),
      entry('a/b/c/foo'),
    ]);
    assert.deepEqual(listing(after), ['a@1/', 'a/b@1/', 'a/b/c@1/', 'a/b/c/foo@1']);
    assert.deepEqual(listing(before), listing(after));
    assert.equal(after.deletedIn('a/b/c/bar'), 1);
  });

  it('keeps a lower directory as this layer’s parent when only its new children survive', () => {
    const tree = build([entry('a/old')], [entry('a/new'), opaque('a')], [opaque(''), entry('c')]);
    assert.deepEqual(listing(tree), ['c@2']);
    assert.equal(tree.deletedIn('a/new'), 2);
    const kept = build([entry('d/sub/old')], [entry('d/sub/new'), whiteout('d/sub')]);
    assert.deepEqual(listing(kept), ['d@0/', 'd/sub@1/', 'd/sub/new@1']);
    assert.equal(kept.get('d/sub')?.implicit, true);
  });

  it('reads `.wh.` only as a basename prefix: usr/bin/which is a file', () => {
    const tree = build([entry('usr/bin/which'), entry('usr/bin/what')], [entry('usr/bin/which')]);
    assert.deepEqual(listing(tree), ['usr@0/', 'usr/bin@0/', 'usr/bin/what@0', 'usr/bin/which@1']);
  });

  it('ignores a whiteout of a path that never existed, and issues', () => {
    const tree = build(
      [entry('x')],
      [whiteout('nope/never'), { kind: 'issue', code: 'unsafe-path', message: 'm' }],
    );
    assert.deepEqual(listing(tree), ['x@0']);
    assert.equal(tree.deletedIn('nope/never'), undefined);
  });
});

describe('FileTree replacement', () => {
  it('a file replaces a directory (and its subtree), a directory replaces a file', () => {
    const tree = build(
      [entry('srv', 'dir'), entry('srv/data/a'), entry('etc/conf')],
      [entry('srv', 'file'), entry('etc/conf', 'dir'), entry('etc/conf/x')],
    );
    assert.deepEqual(listing(tree), ['etc@0/', 'etc/conf@1/', 'etc/conf/x@1', 'srv@1']);
    assert.equal(tree.get('srv')?.type, 'file');
    assert.equal(tree.deletedIn('srv/data/a'), 1);
  });

  it('a directory over a directory takes the new attributes and keeps the children', () => {
    const tree = build(
      [entry('var', 'dir'), entry('var/log')],
      [{ kind: 'entry', entry: { path: 'var', type: 'dir', size: 0, mode: 0o700, uid: 0, gid: 0 } }],
    );
    assert.deepEqual(listing(tree), ['var@1/', 'var/log@0']);
    assert.equal(tree.get('var')?.mode, 0o700);
  });

  it('re-creating a deleted path clears its deletion record', () => {
    const tree = build([entry('f')], [whiteout('f')], [entry('f')]);
    assert.equal(tree.deletedIn('f'), undefined);
    assert.equal(tree.get('f')?.layer, 2);
  });

  it('creates missing parents implicitly and replaces a non-directory parent', () => {
    const tree = build([entry('lib', 'symlink', 'usr/lib')], [entry('lib/x.so')]);
    assert.deepEqual(listing(tree), ['lib@1/', 'lib/x.so@1']);
    assert.equal(tree.get('lib')?.implicit, true);
  });

  it('never writes into a directory that was just unlinked (the parent cache is dropped)', () => {
    const replaced = build([entry('a/b/x'), entry('a/b', 'file'), entry('a/b/y')]);
    assert.deepEqual(listing(replaced), ['a@0/', 'a/b@0/', 'a/b/y@0']);
    const hidden = build(
      [entry('d/x')],
      [entry('d/y'), whiteout('d'), entry('d/z'), opaque('d'), entry('d/w')],
    );
    assert.deepEqual(listing(hidden), ['d@1/', 'd/w@1', 'd/y@1', 'd/z@1']);
  });

  it('refuses layers out of order', () => {
    const tree = build([entry('a')], [entry('b')]);
    assert.throws(() => tree.beginLayer(1), { code: 'internal' });
  });

  it('lists depth first with children sorted', () => {
    const tree = build([entry('b'), entry('a-b'), entry('a/z'), entry('a/b')]);
    assert.deepEqual(listing(tree), ['a@0/', 'a/b@0', 'a/z@0', 'a-b@0', 'b@0']);
  });
});

describe('FileTree.resolve', () => {
  const tree = build([
    entry('usr/lib/os-release'),
    entry('etc/os-release', 'symlink', '../usr/lib/os-release'),
    entry('lib', 'symlink', 'usr/lib'),
    entry('abs', 'symlink', '/usr/lib'),
    entry('escape', 'symlink', '../../../../../etc/os-release'),
    entry('loop-a', 'symlink', 'loop-b'),
    entry('loop-b', 'symlink', '/loop-a'),
    entry('self', 'symlink', '.'),
  ]);

  it('follows relative and absolute links in every component', () => {
    assert.deepEqual(tree.resolve('etc/os-release').path, 'usr/lib/os-release');
    assert.equal(tree.resolve('etc/os-release').entry?.type, 'file');
    assert.equal(tree.resolve('lib/os-release').path, 'usr/lib/os-release');
    assert.equal(tree.resolve('/abs/os-release').path, 'usr/lib/os-release');
    assert.equal(tree.resolve('self/self/lib/../lib/os-release').path, 'usr/lib/os-release');
  });

  it('never leaves the root: .. above it stays at it', () => {
    assert.equal(tree.resolve('escape').path, 'usr/lib/os-release');
    assert.equal(tree.resolve('../../../usr/lib').path, 'usr/lib');
    assert.deepEqual(tree.resolve('missing/../..'), { path: '', entry: undefined });
  });

  it('returns the lexical path and no entry for a missing file', () => {
    assert.deepEqual(tree.resolve('lib/nothing/here'), { path: 'usr/lib/nothing/here', entry: undefined });
  });

  it('stops a symlink loop after 40 hops with unsafe-path naming the chain', () => {
    assert.throws(() => tree.resolve('loop-a/x'), {
      code: 'unsafe-path',
      message:
        /^too many levels of symbolic links \(more than 40\) resolving "loop-a\/x": loop-a -> loop-b, loop-b -> \/loop-a, loop-a -> loop-b/,
    });
  });
});
