import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { goBinary } from './analyzer.js';
import { buildElf, inlineBuildInfo, MODINFO, pointerFormatElf, wrapModinfo } from './testkit-elf.test.js';

const goElf = (goVersion: string, modinfo = MODINFO, opts: { is64?: boolean; littleEndian?: boolean } = {}) =>
  buildElf({
    ...opts,
    sections: [
      { name: '.text', data: Buffer.alloc(64), addr: 0x401000 },
      { name: '.gopclntab', data: Buffer.alloc(32), addr: 0x402000 },
      { name: '.go.buildinfo', data: inlineBuildInfo(goVersion, wrapModinfo(modinfo)), addr: 0x403000 },
    ],
  });

const rows = (result: Awaited<ReturnType<typeof analyzeFiles>>) =>
  result.packages.map((p) => [p.type, p.name, p.version, p.purl]);

const EXPECTED = [
  ['go-module', 'example.com/app', '(devel)', 'pkg:golang/example.com/app'],
  ['go-module', 'github.com/google/uuid', 'v1.6.0', 'pkg:golang/github.com/google/uuid@v1.6.0'],
  ['go-module', 'github.com/fork/net', 'v0.17.1-fix', 'pkg:golang/github.com/fork/net@v0.17.1-fix'],
  ['go-module', 'example.com/lib', '(devel)', 'pkg:golang/example.com/lib'],
  ['go-stdlib', 'stdlib', '1.21.4', 'pkg:golang/stdlib@1.21.4'],
];

describe('go-binary analyzer: real Debian-built Go programs', () => {
  for (const [path, main, version] of [
    ['/usr/bin/skopeo', 'github.com/containers/skopeo/cmd/skopeo', '1.19.8'],
    ['/usr/bin/umoci', undefined, undefined],
    ['/usr/bin/docker-registry', undefined, undefined],
    ['/usr/bin/podman', 'github.com/containers/podman/cmd/podman', '1.19.8'],
  ] as const) {
    it(`reads ${path} (GOPATH build: no mod line, only the toolchain)`, {
      skip: !existsSync(path),
    }, async () => {
      const result = await analyzeFiles(goBinary, [memoryFile(path.slice(1), readFileSync(path))], 2);
      assert.deepEqual(result.issues, []);
      const stdlib = result.packages.find((p) => p.type === 'go-stdlib');
      assert.ok(stdlib, 'stdlib reported');
      assert.match(stdlib.version, /^1\.\d+\.\d+$/);
      if (version) assert.equal(stdlib.version, version);
      if (main) assert.equal(result.packages.length, 1, 'Debian builds record no modules');
      assert.deepEqual(stdlib.locations[0]!.path, path.slice(1));
      assert.equal(stdlib.introducedIn.layerIndex, 2);
    });
  }

  it('reads the real build info sections cut from skopeo and podman, inside a synthetic ELF', async () => {
    for (const name of ['skopeo', 'podman']) {
      const data = readFileSync(testdata(import.meta.url, `${name}.go.buildinfo`));
      const elf = buildElf({ sections: [{ name: '.go.buildinfo', data, addr: 0x1000 }] });
      const result = await analyzeFiles(goBinary, [memoryFile(`usr/bin/${name}`, elf)]);
      assert.deepEqual(result.issues, []);
      assert.deepEqual(rows(result), [['go-stdlib', 'stdlib', '1.19.8', 'pkg:golang/stdlib@1.19.8']]);
    }
  });

  it('reports a Go program whose build info was removed (esbuild: .gopclntab, no .go.buildinfo)', async (t) => {
    const path = new URL('../../../../node_modules/@esbuild/linux-x64/bin/esbuild', import.meta.url).pathname;
    if (!existsSync(path)) return t.skip('esbuild binary not installed');
    const result = await analyzeFiles(goBinary, [memoryFile('usr/bin/esbuild', readFileSync(path))]);
    assert.deepEqual(result.packages, []);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [['missing-field', 'usr/bin/esbuild']],
    );
  });
});

describe('go-binary analyzer: module info', () => {
  it('reports main module, dependencies (replacements applied) and the toolchain', async () => {
    const result = await analyzeFiles(goBinary, [memoryFile('app/server', goElf('go1.21.4'))], 1);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(rows(result), EXPECTED);
    const [first] = result.packages;
    assert.deepEqual(first!.locations, [
      {
        layerDiffId: first!.introducedIn.layerDiffId,
        layerIndex: 1,
        path: 'app/server',
        evidence: 'primary',
      },
    ]);
  });

  it('reads 32-bit big-endian ELF, stripped section headers (magic scan) and non-ELF files alike', async () => {
    const blob = inlineBuildInfo('go1.21.4', wrapModinfo(MODINFO));
    const noSections = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]), Buffer.alloc(58), blob]);
    const machO = Buffer.concat([Buffer.from('cffaedfe', 'hex'), Buffer.alloc(60), blob]);
    for (const bytes of [
      goElf('go1.21.4', MODINFO, { is64: false, littleEndian: false }),
      noSections,
      machO,
    ]) {
      const result = await analyzeFiles(goBinary, [memoryFile('bin/x', bytes)]);
      assert.deepEqual(result.issues, []);
      assert.deepEqual(rows(result), EXPECTED);
    }
  });

  it('reads the pre-Go 1.18 pointer format through the section addresses', async () => {
    const result = await analyzeFiles(goBinary, [
      memoryFile('bin/old', pointerFormatElf('go1.16.15', wrapModinfo(MODINFO))),
    ]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(rows(result).at(-1), ['go-stdlib', 'stdlib', '1.16.15', 'pkg:golang/stdlib@1.16.15']);
    assert.equal(result.packages.length, EXPECTED.length);
  });

  it('normalises toolchain versions', async () => {
    for (const [raw, expected] of [
      ['go1.20', '1.20.0'],
      ['go1.21.4 X:boringcrypto', '1.21.4'],
      ['go1.22rc1', '1.22rc1'],
      ['devel go1.23-abc Tue', 'devel go1.23-abc Tue'],
    ]) {
      const result = await analyzeFiles(goBinary, [memoryFile('bin/x', goElf(raw!, 'path\tx\n'))]);
      assert.deepEqual(rows(result), [
        ['go-stdlib', 'stdlib', expected, `pkg:golang/stdlib@${expected!.replaceAll(' ', '%20')}`],
      ]);
    }
  });
});
