/**
 * The three binary/lock analyzers behind the real walker and catalog stage: a layer tar with a
 * Go program big enough to spill to disk, a Rust program with a `.dep-v0` section, a Cargo.lock,
 * and files `wants` must skip.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import tarStream from 'tar-stream';
import { walkLayer } from '../../../image/walk/layer-walker.js';
import { catalogVisitor } from '../../layer-stage.js';
import { layerRef } from '../../testkit.test.js';
import { cargoAuditable } from '../cargo-auditable/analyzer.js';
import { cargoLock } from '../cargo-lock/analyzer.js';
import { goBinary } from './analyzer.js';
import { buildElf, inlineBuildInfo, MODINFO, wrapModinfo } from './testkit-elf.test.js';

async function layerTar(files: Array<[string, Buffer]>): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const [name, data] of files) pack.entry({ name, mode: 0o755 }, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('go-binary, cargo-auditable and cargo-lock behind the layer walker', () => {
  it('finds modules in spilled and in-memory programs and in lock files', async () => {
    const padding = { name: '.text', data: Buffer.alloc(70_000) };
    const goProgram = buildElf({
      sections: [padding, { name: '.go.buildinfo', data: inlineBuildInfo('go1.22.1', wrapModinfo(MODINFO)) }],
    });
    const audit = { packages: [{ name: 'rg', version: '14.0.3', source: 'crates.io', root: true }] };
    const rustProgram = buildElf({
      sections: [padding, { name: '.dep-v0', data: deflateSync(JSON.stringify(audit)) }],
    });
    const lock = `version = 3\n[[package]]\nname = "libc"\nversion = "0.2.150"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`;
    const files: Array<[string, Buffer]> = [
      ['app/server', goProgram],
      ['usr/local/bin/rg', rustProgram],
      ['src/app/Cargo.lock', Buffer.from(lock)],
      ['usr/share/doc/x/README', goProgram],
    ];
    if (existsSync('/usr/bin/skopeo')) files.push(['usr/bin/skopeo', readFileSync('/usr/bin/skopeo')]);
    const spillDir = mkdtempSync(join(tmpdir(), 'assay-walk-'));
    try {
      const visitor = catalogVisitor(layerRef(1), [goBinary, cargoLock, cargoAuditable], {
        label: 'layer 1',
      });
      const walk = walkLayer(Readable.from([await layerTar(files)]), {
        wants: visitor.wants,
        spillDir,
        spillThreshold: 1024 * 1024,
      });
      for await (const event of walk) await visitor.onEvent?.(event);
      const inventory = await visitor.finish();
      const found = inventory.runs.flatMap((run) =>
        run.result.packages.map((p) => `${run.analyzer} ${p.locations[0]!.path} ${p.purl}`),
      );
      assert.deepEqual(
        inventory.runs.flatMap((run) => run.result.issues),
        [],
      );
      const expected = [
        'go-binary app/server pkg:golang/stdlib@1.22.1',
        'cargo-auditable usr/local/bin/rg pkg:cargo/rg@14.0.3',
        'cargo-lock src/app/Cargo.lock pkg:cargo/libc@0.2.150',
      ];
      if (files.length === 5) expected.push('go-binary usr/bin/skopeo pkg:golang/stdlib@1.19.8');
      for (const line of expected) assert.ok(found.includes(line), `${line} in ${found.join('\n')}`);
      assert.equal(found.filter((line) => line.includes('usr/share/doc')).length, 0);
      assert.equal(found.filter((line) => line.startsWith('go-binary app/server')).length, 5);
    } finally {
      rmSync(spillDir, { recursive: true, force: true });
    }
  });
});
