import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile } from '../../testkit.test.js';
import { goBinary } from './analyzer.js';
import { BUILDINFO_MAGIC } from './buildinfo.js';
import { parseElf } from './elf.js';
import { buildElf, inlineBuildInfo, MODINFO, wrapModinfo } from './testkit-elf.test.js';

const run = (bytes: Buffer) => analyzeFiles(goBinary, [memoryFile('usr/local/bin/tool', bytes)]);
const codes = (r: Awaited<ReturnType<typeof run>>) => r.issues.map((i) => i.code);

describe('go-binary analyzer: files that are not Go programs', () => {
  it('says nothing about text, non-Go ELF files and empty files', async () => {
    const plain = buildElf({ sections: [{ name: '.text', data: Buffer.alloc(100) }] });
    for (const bytes of [
      Buffer.from('#!/bin/sh\necho hi\n'),
      plain,
      Buffer.alloc(0),
      Buffer.from([0x7f, 0x45]),
    ]) {
      const result = await run(bytes);
      assert.deepEqual([result.packages, result.issues], [[], []]);
    }
  });

  it('names a Go ELF program without build info, once', async () => {
    const stripped = buildElf({ sections: [{ name: '.gopclntab', data: Buffer.alloc(16) }] });
    const result = await run(stripped);
    assert.deepEqual(codes(result), ['missing-field']);
    assert.match(result.issues[0]!.message, /^usr\/local\/bin\/tool: Go program without build info/);
  });
});

describe('go-binary analyzer: corrupt build info', () => {
  const blob = inlineBuildInfo('go1.21.4', wrapModinfo(MODINFO));
  const elfWith = (data: Buffer) => buildElf({ sections: [{ name: '.go.buildinfo', data }] });

  it('reports truncated blobs and absurd lengths without throwing', async () => {
    const cases = [
      blob.subarray(0, 20), // header cut
      blob.subarray(0, 40), // module info cut
      Buffer.concat([blob.subarray(0, 32), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]),
      Buffer.concat([blob.subarray(0, 32), Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80])]),
    ];
    for (const data of cases) {
      const result = await run(Buffer.concat([BUILDINFO_MAGIC.subarray(0, 0), elfWith(data)]));
      assert.deepEqual(result.packages, []);
      assert.deepEqual(codes(result), ['corrupt-database']);
    }
  });

  it('keeps the good modules of garbled module info, caps the issues', async () => {
    const lines = ['mod\tgood.example/a\tv1.0.0', 'dep\t\t', '=>\torphan\tv1', 'dep\tx/\tv1', 'bogus line'];
    for (let i = 0; i < 100; i++) lines.push(`noise${i}`);
    lines.push('dep\tgood.example/b\tv2.0.0\xff\xfe');
    const result = await run(elfWith(inlineBuildInfo('go1.22.0', wrapModinfo(lines.join('\n')))));
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['good.example/a', 'good.example/b', 'stdlib'],
    );
    assert.equal(result.issues.length, 26);
    assert.equal(result.issues.at(-1)!.code, 'issues-truncated');
  });

  it('says nothing when a non-Go ELF program holds an undecodable magic', async () => {
    const constant = Buffer.concat([BUILDINFO_MAGIC, Buffer.from([0x08, 0x02]), Buffer.alloc(16, 0xff)]);
    const result = await run(buildElf({ sections: [{ name: '.rodata', data: constant }] }));
    assert.deepEqual([result.packages, result.issues], [[], []]);
  });

  it('skips a magic constant in read-only data and reads the real blob after it (no section table)', async () => {
    const constant = Buffer.concat([BUILDINFO_MAGIC, Buffer.from([0x08, 0x02]), Buffer.alloc(16, 0xff)]);
    const noSections = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]),
      Buffer.alloc(58),
      constant,
      blob,
    ]);
    assert.equal(noSections.indexOf(blob) % 16, 0);
    const result = await run(noSections);
    assert.deepEqual(result.issues, []);
    assert.equal(result.packages.length, 5);
  });

  it('survives a hostile section table, invalid UTF-8 and a 5 MB module info', async () => {
    const badTable = buildElf({ sections: [{ name: '.go.buildinfo', data: blob }] });
    badTable.writeUInt16LE(60_000, 0x3c); // shnum far beyond the file
    assert.equal(parseElf(badTable).kind, 'corrupt');
    assert.equal((await run(badTable)).packages.length, 5, 'the aligned magic is still found');
    const big = `mod\tbig.example/m\tv1.0.0\n${'build\tk=v\n'.repeat(500_000)}`;
    const started = Date.now();
    const result = await run(elfWith(inlineBuildInfo('go1.21.4', wrapModinfo(big))));
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['big.example/m', 'stdlib'],
    );
    assert.ok(Date.now() - started < 5000);
  });
});

describe('go-binary wants', () => {
  it('wants programs by place and shape, not data', () => {
    const wanted = [
      'usr/bin/skopeo',
      'usr/local/bin/helm',
      'bin/busybox',
      'sbin/init',
      'usr/bin/python3.11',
      'manager',
      'app/server',
      'ko-app/controller',
      'usr/lib/cni/host-local',
      'usr/lib/podman/rootlessport',
      'usr/local/go/pkg/tool/linux_amd64/compile',
      'opt/app/node_modules/@esbuild/linux-x64/bin/esbuild',
    ];
    for (const path of wanted) assert.ok(goBinary.wants(path, 5_000_000), path);
    const unwanted: Array<[string, number]> = [
      ['usr/bin/skopeo', 100],
      ['usr/bin/huge', 600 * 1024 * 1024],
      ['usr/lib/x86_64-linux-gnu/libc.so.6', 2_000_000],
      ['usr/share/doc/x/copyright', 5_000],
      ['etc/ld.so.cache', 20_000],
      ['etc/passwd', 2_000],
      ['usr/lib/locale/locale-archive', 3_000_000],
      ['var/lib/dpkg/status', 100_000],
      ['var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages', 9_000_000],
      ['app/main.go', 5_000],
      ['app/config.json', 5_000],
      ['app/server', 60_000],
      ['app/node_modules/left-pad/LICENSE', 100_000],
      ['opt/tool/README', 100_000],
      ['opt/java/openjdk/lib/modules', 130_000_000],
      ['usr/lib/jvm/java-17-openjdk-amd64/lib/modules', 130_000_000],
    ];
    for (const [path, size] of unwanted) assert.equal(goBinary.wants(path, size), false, path);
  });
});
