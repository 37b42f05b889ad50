import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import tarStream from 'tar-stream';
import { walkImage } from '../image/walk/image-walker.js';
import type { FileContent, LayerEvent, TarEntry } from '../image/walk/types.js';
import type { Analyzer, AnalyzerInput } from './analyzer.js';
import type { LayerInventory } from './inventory.js';
import { catalogVisitor } from './layer-stage.js';
import { analyzers } from './registry.js';
import { squash } from './squash.js';
import { layerRef } from './testkit.test.js';

/** Content that, like the walker's, dies once the walker moves on. */
function heldContent(text: string): { content: FileContent; dispose(): void } {
  let bytes: Buffer | undefined = Buffer.from(text);
  const live = (): Buffer => {
    if (!bytes) throw new Error('content used after the walker moved on');
    return bytes;
  };
  return {
    content: { size: bytes.length, read: async () => live(), stream: () => Readable.from([live()]) },
    dispose: () => {
      bytes = undefined;
    },
  };
}

function fileEvent(path: string, content: FileContent): LayerEvent {
  const entry: TarEntry = { path, type: 'file', size: content.size, mode: 0o644, uid: 0, gid: 0 };
  return { kind: 'entry', entry, content };
}

function recorder(id: Analyzer['id'], grouped: boolean, seen: string[][]): Analyzer {
  return {
    id,
    version: 7,
    wants: (path) => path.startsWith(`${id}/`),
    ...(grouped ? { groupOf: () => 'all' } : {}),
    analyze: async (input: AnalyzerInput) => {
      const texts = await Promise.all(input.files.map(async (f) => `${f.path}=${await f.content.read()}`));
      seen.push(texts);
      return { packages: [], issues: [] };
    },
  };
}

async function drive(analyzerList: Analyzer[], files: Array<[string, string]>): Promise<LayerInventory> {
  const visitor = catalogVisitor(layerRef(2), analyzerList, { label: 'layer 2' });
  for (const [path, text] of files) {
    if (!visitor.wants(path, text.length, { path, type: 'file', size: 0, mode: 0, uid: 0, gid: 0 })) continue;
    const held = heldContent(text);
    await visitor.onEvent?.(fileEvent(path, held.content));
    held.dispose();
  }
  return visitor.finish();
}

describe('catalogVisitor', () => {
  it('analyzes single files at once and groups after the layer, from copies', async () => {
    const seen: string[][] = [];
    const list = [recorder('jar', false, seen), recorder('npm-lock', true, seen)];
    const inventory = await drive(list, [
      ['jar/a', '1'],
      ['npm-lock/x', '2'],
      ['other/z', '9'],
      ['jar/b', '3'],
      ['npm-lock/y', '4'],
    ]);
    assert.deepEqual(seen, [['jar/a=1'], ['jar/b=3'], ['npm-lock/x=2', 'npm-lock/y=4']]);
    assert.deepEqual(
      inventory.runs.map((r) => [r.analyzer, r.version, r.paths]),
      [
        ['jar', 7, ['jar/a']],
        ['jar', 7, ['jar/b']],
        ['npm-lock', 7, ['npm-lock/x', 'npm-lock/y']],
      ],
    );
    assert.equal(inventory.layerIndex, 2);
  });

  it('turns a throwing analyzer into a located issue and keeps going', async () => {
    const broken: Analyzer = {
      id: 'go-binary',
      version: 1,
      wants: () => true,
      analyze: async () => {
        throw new Error('boom');
      },
    };
    const inventory = await drive([broken], [['usr/bin/x', 'ELF']]);
    const issues = inventory.runs.flatMap((r) => r.result.issues);
    assert.deepEqual(
      issues.map((i) => [i.code, i.location?.path]),
      [['analyzer-failed', 'usr/bin/x']],
    );
    assert.match(issues[0]!.message, /layer 2: analyzer go-binary failed on usr\/bin\/x: boom/);
  });
});

type TarFile = { name: string; text?: string; linkname?: string };

async function tarOf(files: TarFile[]): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const f of files) {
    if (f.linkname) pack.entry({ name: f.name, type: 'symlink', linkname: f.linkname });
    else pack.entry({ name: f.name }, f.text ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const dpkg = (specs: string[]): string =>
  specs
    .map(
      (s) =>
        `Package: ${s.split('@')[0]}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${s.split('@')[1]}\n`,
    )
    .join('\n');

describe('catalog over the real layer walker', () => {
  it('walks three layers and squashes them into the final inventory', async () => {
    const blobs = [
      await tarOf([
        {
          name: 'usr/lib/os-release',
          text: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nNAME="Debian GNU/Linux"\n',
        },
        { name: 'etc/os-release', linkname: '../usr/lib/os-release' },
        { name: 'etc/debian_version', text: '12.5\n' },
        { name: 'var/lib/dpkg/status', text: dpkg(['libc6@2.36-9', 'openssl@3.0.11-1']) },
        { name: 'var/lib/dpkg/status.d/extra', text: dpkg(['extra@1.0']) },
      ]),
      await tarOf([
        { name: 'var/lib/dpkg/status', text: dpkg(['libc6@2.36-9', 'openssl@3.0.13-1', 'curl@7.88.1-10']) },
        { name: 'var/lib/dpkg/status.d/.wh.extra' },
      ]),
      await tarOf([{ name: 'app/readme', text: 'not wanted' }]),
    ];
    const layers = [layerRef(0), layerRef(1), layerRef(2)];
    const walk = await walkImage(layers, async (l) => Readable.from([blobs[l.index]!]), {
      visitor: (l) => catalogVisitor(l, analyzers, { label: `layer ${l.index}` }),
    });
    assert.deepEqual(walk.errors, []);
    const inventories = walk.layers.map((o) => o.result!);
    const result = squash(
      inventories,
      { has: (p) => walk.tree.get(p)?.type === 'file', writtenIn: (p) => walk.tree.get(p)?.layer },
      { today: new Date('2026-11-30') },
    );
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.introducedIn.layerIndex, p.purl]),
      [
        ['curl', '7.88.1-10', 1, 'pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12'],
        ['libc6', '2.36-9', 0, 'pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12'],
        ['openssl', '3.0.13-1', 1, 'pkg:deb/debian/openssl@3.0.13-1?arch=amd64&distro=debian-12'],
      ],
    );
    assert.deepEqual(
      [result.os?.family, result.os?.version, result.os?.location.path, result.os?.eol],
      ['debian', '12.5', 'usr/lib/os-release', false],
    );
    assert.deepEqual(result.issues, []);
  });
});
