/** The tree-based checks on real FileTrees built from layer events: setuid, caches, sudo, PATH. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileTree } from '../../image/walk/file-tree.js';
import { ThreatFindingSchema } from '../../model/result.js';
import { checkImageConfig, fileSystemThreats } from './checks.js';
import type { ImageFacts } from './facts.js';
import { facts, fileTree, historyAndLayers, pkg, type Spec } from './testing/facts.js';

/** Layer 0 is the base (a debian-like rootfs), layers 1.. are the image's own. */
function image(tree: FileTree, over: Partial<ImageFacts> = {}, layerCount = 3): ImageFacts {
  const entries: [string, boolean][] = [
    ['/bin/sh -c #(nop) ADD file:abc in / ', true],
    ['/bin/sh -c #(nop)  CMD ["bash"]', false],
  ];
  for (let i = 1; i < layerCount; i++) entries.push([`RUN /bin/sh -c step${i} # buildkit`, true]);
  return facts({ ...historyAndLayers(entries, 1), tree, ...over });
}

const debianBase: Spec[] = [
  { path: 'bin', type: 'symlink', linkname: 'usr/bin' },
  { path: 'usr', type: 'dir' },
  { path: 'usr/bin', type: 'dir' },
  { path: 'usr/bin/passwd', mode: 0o4755 },
  { path: 'usr/bin/chage', mode: 0o2755 },
  { path: 'usr/bin/ls', mode: 0o755 },
  { path: 'usr/sbin', type: 'dir' },
  { path: 'usr/local/bin', type: 'dir' },
  { path: 'tmp', type: 'dir', mode: 0o1777 },
];

const ids = <T extends { id: string }>(findings: T[], id: string): T[] => findings.filter((f) => f.id === id);

describe('setuid-files (CIS 4.8) and setuid-added', () => {
  it('reports setuid/setgid executables: base low, own medium plus a threat; ignores decoys', () => {
    const tree = fileTree(debianBase, [
      { path: 'usr/local/bin/helper', mode: 0o4750 },
      { path: 'opt/app/data.bin', mode: 0o4644 }, // setuid bit without any execute bit
      { path: 'opt/app/sticky', mode: 0o1755 },
      { path: 'opt/app/dir', type: 'dir', mode: 0o2775 }, // setgid directory: inheritance, not privilege
    ]);
    const f = image(tree);
    const config = ids(checkImageConfig(f), 'setuid-files');
    assert.deepEqual(
      config.map((x) => [x.location.path, x.severity, x.fromBaseImage, x.location.layerIndex]),
      [
        ['usr/bin/chage', 'low', true, 0],
        ['usr/bin/passwd', 'low', true, 0],
        ['usr/local/bin/helper', 'medium', false, 1],
      ],
    );
    assert.match(config[0]!.message, /setgid \(mode 2755\)/);
    assert.match(config[2]!.message, /setuid \(mode 4750\)/);
    const threats = ids(fileSystemThreats(f), 'setuid-added');
    assert.deepEqual(
      threats.map((t) => [t.location.path, t.evidence, t.location.createdBy, t.severity, t.fromBaseImage]),
      [['usr/local/bin/helper', 'setuid, mode 4750', 'RUN /bin/sh -c step1 # buildkit', 'high', false]],
    );
    for (const t of threats) assert.equal(ThreatFindingSchema.safeParse(t).success, true);
  });

  it('attributes a base binary re-written with the bit by an own layer to that layer; a chmod-off clears it', () => {
    const tree = fileTree(debianBase, [
      { path: 'usr/bin/ls', mode: 0o6755 },
      { path: 'usr/bin/passwd', mode: 0o755 },
    ]);
    const f = image(tree);
    assert.deepEqual(
      ids(checkImageConfig(f), 'setuid-files').map((x) => x.location.path),
      ['usr/bin/chage', 'usr/bin/ls'],
    );
    const [t] = ids(fileSystemThreats(f), 'setuid-added');
    assert.equal(t?.location.path, 'usr/bin/ls');
    assert.equal(t?.evidence, 'setuid and setgid, mode 6755');
  });

  it('drops a setuid file that a later layer deleted (whiteout)', () => {
    const tree = fileTree(
      debianBase,
      [{ path: 'usr/local/bin/x', mode: 0o4755 }],
      [{ kind: 'whiteout', path: 'usr/local/bin/x' }],
    );
    assert.deepEqual(ids(fileSystemThreats(image(tree)), 'setuid-added'), []);
  });
});

describe('world-writable-in-path', () => {
  it('reports world-writable files directly in PATH directories, through the usr-merge bin link', () => {
    const tree = fileTree(debianBase, [
      { path: 'usr/local/bin/tool', mode: 0o777 },
      { path: 'usr/bin/ok', mode: 0o775 },
      { path: 'usr/local/bin/sub/deep', mode: 0o777 }, // not searched: PATH lookup does not descend
      { path: 'opt/data/free', mode: 0o666 }, // not in PATH
      { path: 'tmp/x', mode: 0o777 },
    ]);
    const found = ids(fileSystemThreats(image(tree)), 'world-writable-in-path');
    assert.deepEqual(
      found.map((t) => [t.location.path, t.evidence, t.location.layerIndex, t.category, t.engine]),
      [['usr/local/bin/tool', 'file mode 0777', 1, 'permissions', 'builtin']],
    );
  });

  it('follows symlinks in PATH to world-writable targets elsewhere, once each', () => {
    const tree = fileTree(debianBase, [
      { path: 'opt/tool/bin/run', mode: 0o777 },
      { path: 'usr/local/bin/run', type: 'symlink', linkname: '/opt/tool/bin/run' },
      { path: 'usr/local/bin/run2', type: 'symlink', linkname: '../../../opt/tool/bin/run' },
      { path: 'usr/local/bin/loop', type: 'symlink', linkname: 'loop' },
      { path: 'usr/local/bin/ls', type: 'symlink', linkname: '/usr/bin/ls' }, // a 0755 target: fine
    ]);
    const found = ids(fileSystemThreats(image(tree)), 'world-writable-in-path');
    assert.deepEqual(
      found.map((t) => [t.location.path, t.evidence]),
      [['opt/tool/bin/run', 'file mode 0777, run from PATH through the symlink usr/local/bin/run']],
    );
  });

  it('uses the image PATH and reports a world-writable PATH directory', () => {
    const tree = fileTree(debianBase, [
      { path: 'app', type: 'dir', mode: 0o777 },
      { path: 'app/start', mode: 0o777 },
      { path: 'usr/local/bin/tool', mode: 0o777 }, // not in this image's PATH
    ]);
    const f = image(tree, { config: { User: 'a', Env: ['PATH=/app:relative:/bin/'] } });
    const found = ids(fileSystemThreats(f), 'world-writable-in-path');
    assert.deepEqual(
      found.map((t) => [t.location.path, t.evidence]),
      [
        ['app', 'directory mode 0777'],
        ['app/start', 'file mode 0777'],
      ],
    );
  });
});

describe('package-cache', () => {
  const big = 300_000;
  it('reports each cache dir with counts, attributed to the layer that wrote most of it', () => {
    const tree = fileTree(
      [
        ...debianBase,
        { path: 'var/lib/apt/lists/deb.debian.org_dists_main', size: 5000 },
        { path: 'var/lib/apt/lists/lock', size: 0 },
      ],
      [
        { path: 'var/lib/apt/lists/deb.debian.org_dists_updates', size: big },
        { path: 'var/lib/apt/lists/partial/x', size: big }, // apt's own working dir: not counted
        { path: 'var/cache/apt/archives/curl_8.5.0-2_amd64.deb', size: big },
        { path: 'var/cache/apt/archives/lock', size: 0 },
        { path: 'root/.cache/pip/http/a/b', size: big },
        { path: 'var/cache/apk/APKINDEX.1.tar.gz', size: 100 }, // under the 4 KiB floor
        { path: 'var/cache/aptitude/x', size: big }, // not a listed cache
      ],
    );
    const found = ids(checkImageConfig(image(tree)), 'package-cache');
    assert.deepEqual(
      found.map((x) => [x.location.path, x.location.layerIndex, x.fromBaseImage, x.severity]),
      [
        ['var/cache/apt/archives', 1, false, 'low'],
        ['var/lib/apt/lists', 1, false, 'low'],
        ['root/.cache/pip', 1, false, 'low'],
      ],
    );
    assert.match(found[1]!.message, /apt package lists left in var\/lib\/apt\/lists: 2 files, 297\.9 KiB/);
    assert.match(found[0]!.message, /1 file, /);
  });

  it('finds nothing in a cleaned image', () => {
    const tree = fileTree(debianBase, [
      { path: 'var/lib/apt/lists', type: 'dir' },
      { path: 'var/lib/apt/lists/lock', size: 0 },
      { path: 'var/cache/apt/archives/partial', type: 'dir' },
    ]);
    assert.deepEqual(ids(checkImageConfig(image(tree)), 'package-cache'), []);
  });
});

describe('sudo-installed', () => {
  it('reports the sudo package at its layer, once, whatever the package type', () => {
    const tree = fileTree(debianBase, [{ path: 'usr/bin/sudo', mode: 0o4755 }]);
    for (const type of ['deb', 'apk', 'rpm'] as const) {
      const f = image(tree, { packages: [pkg('sudo', type, 1, 'var/lib/dpkg/status')] });
      const found = ids(checkImageConfig(f), 'sudo-installed');
      assert.equal(found.length, 1);
      assert.deepEqual([found[0]!.location.path, found[0]!.location.layerIndex], ['var/lib/dpkg/status', 1]);
      assert.match(found[0]!.message, new RegExp(`${type} package sudo`));
    }
  });

  it('falls back to the binary, through the usr-merge link; no sudo, no finding', () => {
    const withBinary = image(fileTree(debianBase, [{ path: 'usr/bin/sudo', mode: 0o755 }]));
    assert.deepEqual(
      ids(checkImageConfig(withBinary), 'sudo-installed').map((x) => x.location.path),
      ['usr/bin/sudo'],
    );
    const decoy = image(fileTree(debianBase, [{ path: 'usr/share/doc/sudo', type: 'dir' }]), {
      packages: [
        pkg('sudo-font', 'deb', 1, 'var/lib/dpkg/status'),
        pkg('gosu', 'deb', 1, 'var/lib/dpkg/status'),
      ],
    });
    assert.deepEqual(ids(checkImageConfig(decoy), 'sudo-installed'), []);
  });
});

describe('one pass', () => {
  it('walks the tree once for both functions when given the same facts', () => {
    const tree = fileTree(debianBase);
    let walks = 0;
    const counting = {
      get: (p: string) => tree.get(p),
      entries: () => {
        walks++;
        return tree.entries();
      },
    };
    const f = image(tree, { tree: counting });
    checkImageConfig(f);
    fileSystemThreats(f);
    assert.equal(walks, 1);
  });
});
