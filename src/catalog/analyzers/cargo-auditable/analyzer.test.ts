import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { analyzeFiles, memoryFile } from '../../testkit.test.js';
import { buildElf } from '../go-binary/testkit-elf.test.js';
import { cargoAuditable } from './analyzer.js';

/** What `cargo auditable build` records for a small program (root local, one proc-macro chain). */
const AUDIT = {
  packages: [
    { name: 'hello', version: '0.1.0', source: 'local', dependencies: [1, 3, 5], root: true },
    { name: 'itoa', version: '1.0.10', source: 'crates.io' },
    { name: 'proc-macro2', version: '1.0.70', source: 'crates.io', kind: 'build' },
    { name: 'serde', version: '1.0.193', source: 'crates.io', dependencies: [4] },
    { name: 'serde_derive', version: '1.0.193', source: 'crates.io', kind: 'build', dependencies: [2] },
    { name: 'mylib', version: '0.2.0', source: 'git' },
    { name: 'corp', version: '3.0.0', source: { Other: 'custom' } },
  ],
};

const run = (bytes: Buffer) => analyzeFiles(cargoAuditable, [memoryFile('usr/local/bin/hello', bytes)], 5);
const section = (json: unknown) => deflateSync(Buffer.from(JSON.stringify(json)));
const plainElf = () => buildElf({ sections: [{ name: '.text', data: Buffer.alloc(256), addr: 0x401000 }] });
const elfWith = (data: Buffer, opts: { is64?: boolean; littleEndian?: boolean } = {}) =>
  buildElf({
    ...opts,
    sections: [
      { name: '.text', data: Buffer.alloc(64) },
      { name: '.dep-v0', data },
    ],
  });

describe('cargo-auditable analyzer', () => {
  it('reads a .dep-v0 section added by binutils objcopy, as cargo-auditable links it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-auditable-'));
    try {
      writeFileSync(join(dir, 'in'), plainElf());
      writeFileSync(join(dir, 'dep'), section(AUDIT));
      execFileSync('objcopy', [
        '--add-section',
        `.dep-v0=${join(dir, 'dep')}`,
        join(dir, 'in'),
        join(dir, 'out'),
      ]);
      const result = await run(readFileSync(join(dir, 'out')));
      assert.deepEqual(result.issues, []);
      assert.deepEqual(
        result.packages.map((p) => [p.type, p.name, p.version, p.purl]),
        [
          ['cargo', 'itoa', '1.0.10', 'pkg:cargo/itoa@1.0.10'],
          ['cargo', 'serde', '1.0.193', 'pkg:cargo/serde@1.0.193'],
          ['cargo', 'mylib', '0.2.0', 'pkg:cargo/mylib@0.2.0'],
          ['cargo', 'corp', '3.0.0', 'pkg:cargo/corp@3.0.0'],
        ],
      );
      const [itoa] = result.packages;
      assert.deepEqual(itoa!.locations, [
        {
          layerDiffId: itoa!.introducedIn.layerDiffId,
          layerIndex: 5,
          path: 'usr/local/bin/hello',
          evidence: 'primary',
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a root crate installed from crates.io (cargo install), in 32-bit big-endian ELF too', async () => {
    const json = { packages: [{ name: 'ripgrep', version: '14.0.3', source: 'crates.io', root: true }] };
    const result = await run(elfWith(section(json), { is64: false, littleEndian: false }));
    assert.deepEqual(
      result.packages.map((p) => p.purl),
      ['pkg:cargo/ripgrep@14.0.3'],
    );
  });

  it('says nothing about programs without the section and non-ELF files', async () => {
    for (const bytes of [plainElf(), Buffer.from('#!/bin/sh\n'), Buffer.alloc(0)]) {
      const result = await run(bytes);
      assert.deepEqual([result.packages, result.issues], [[], []]);
    }
  });

  it('reports corrupt sections and bad entries, keeping the good entries', async () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const cases: Array<[Buffer, string[]]> = [
      [Buffer.from('not zlib'), ['corrupt-database']],
      [deflateSync(Buffer.from('{"packages":')), ['corrupt-database']],
      [section({ packages: 'x' }), ['corrupt-database']],
      [section([1, 2]), ['corrupt-database']],
      [bomb, ['corrupt-database']],
      [deflateSync(Buffer.from(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`)), ['corrupt-database']],
      [deflateSync(Buffer.from([0xff, 0xfe, 0x00])), ['corrupt-database']],
    ];
    for (const [data, codes] of cases) {
      const result = await run(elfWith(data));
      assert.deepEqual([result.packages, result.issues.map((i) => i.code)], [[], codes]);
    }
    const mixed = {
      packages: [
        { name: 'a', version: '1.0.0', source: 'crates.io' },
        { name: 1 },
        null,
        { name: 'a', version: '1.0.0', source: 'crates.io' },
      ],
    };
    const result = await run(elfWith(section(mixed)));
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['a'],
    );
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['malformed-record', 'malformed-record', 'duplicate-package'],
    );
    assert.match(result.issues[0]!.message, /^usr\/local\/bin\/hello: \.dep-v0 package 1/);
  });

  it('reports a section that points outside the file', async () => {
    const elf = elfWith(section(AUDIT));
    const shoff = Number(elf.readBigUInt64LE(0x28));
    elf.writeBigUInt64LE(BigInt(elf.length * 2), shoff + 2 * 64 + 0x18); // .dep-v0's sh_offset
    assert.deepEqual(
      (await run(elf)).issues.map((i) => i.code),
      ['truncated-file'],
    );
  });

  it('wants the same program-shaped paths as go-binary', () => {
    assert.ok(cargoAuditable.wants('usr/local/bin/rg', 5_000_000));
    assert.ok(cargoAuditable.wants('app/server', 5_000_000));
    assert.equal(cargoAuditable.wants('usr/lib/x86_64-linux-gnu/libssl.so.3', 5_000_000), false);
    assert.equal(cargoAuditable.wants('usr/share/doc/rg/README', 5_000_000), false);
    assert.equal(cargoAuditable.wants('usr/local/bin/rg', 10), false);
  });
});
