import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { jar, MAX_ARCHIVE_BYTES } from './analyzer.js';
import { DEFAULT_LIMITS, scanArchive } from './scan.js';
import { makeZip, pomProperties } from './zip-writer.test.js';

const nop = readFileSync(testdata(import.meta.url, 'slf4j-nop.jar'));
const codes = (result: { issues: Array<{ code: string; message: string }> }) =>
  result.issues.map((i) => i.code);

/** `levels` jars, each holding its own pom.properties and the next as `inner-<k>.jar`, stored. */
function nestedJars(levels: number): Buffer {
  let inner: Buffer | undefined;
  for (let k = levels - 1; k >= 0; k--) {
    const entries = [pomProperties('org.deep', `level${k}`, `${k}.0`)];
    if (inner) entries.push({ name: `lib/inner-${k + 1}.0.jar`, data: inner, store: true });
    inner = makeZip(entries);
  }
  return inner ?? Buffer.alloc(0);
}

/**
 * A non-recursive zip bomb (overlapping entries, after David Fifield's construction): `count`
 * central directory entries all point at one local entry, a jar holding `padBytes` of stored
 * zeros, deflated. The archive stays a few KB; each nested jar inflates to `padBytes`.
 */
function overlappingBomb(count: number, padBytes: number): Buffer {
  const innerJar = makeZip([{ name: 'pad.bin', data: Buffer.alloc(padBytes), store: true }]);
  const single = makeZip([{ name: 'lib/bomb-1.0.jar', data: innerJar }]);
  const localLength = single.readUInt32LE(single.length - 6); // central directory offset = local part
  const central = single.subarray(localLength, single.length - 22);
  const directory = Buffer.concat(Array.from({ length: count }, () => central));
  const end = Buffer.from(single.subarray(single.length - 22));
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  return Buffer.concat([single.subarray(0, localLength), directory, end]);
}

describe('jar analyzer: hostile archives', () => {
  it('stops a zip bomb of a few KB at the total size limit, naming the rest from file names', async () => {
    const bomb = overlappingBomb(300, 8 * 1024 * 1024);
    assert.ok(bomb.length < 40 * 1024, `${bomb.length} bytes`);
    const started = performance.now();
    const result = await analyzeFiles(jar, [memoryFile('opt/bomb.jar', bomb)]);
    assert.ok(performance.now() - started < 20_000, 'bounded time');
    assert.equal(result.packages.filter((p) => p.name === 'bomb' && p.version === '1.0').length, 300);
    assert.deepEqual(codes(result), ['too-many-records', 'too-many-records']);
    assert.match(result.issues[0]?.message ?? '', /pass 536870912 bytes for the whole archive/);
    assert.match(result.issues[1]?.message ?? '', /^opt\/bomb\.jar: 237 nested archives in all/);
  });

  it('opens nested archives to the depth limit only (10 deep)', async () => {
    const result = await analyzeFiles(jar, [memoryFile('app.jar', nestedJars(10))]);
    const found = result.packages.map((p) => [p.name, p.version]);
    assert.deepEqual(found, [
      ...[0, 1, 2, 3, 4].map((k) => [`org.deep:level${k}`, `${k}.0`]),
      ['inner', '5.0'],
    ]);
    assert.deepEqual(codes(result), ['too-many-records']);
    assert.match(
      result.issues[0]?.message ?? '',
      /^app\.jar: !\/lib\/inner-1\.0\.jar!.*!\/lib\/inner-5\.0\.jar: not opened: nested 5/,
    );
    assert.equal(result.packages.at(-1)?.locations[0]?.path.split('!/').length, 6);
  });

  it('reports a truncated jar and a file that is no zip at all, without packages', async () => {
    const files = [
      memoryFile('a/truncated.jar', nop.subarray(0, nop.length >> 1)),
      memoryFile('a/random-1.0.jar', randomBytes(4096)),
      memoryFile('a/empty.jar', Buffer.alloc(0)),
      memoryFile('a/text.war', 'not a war\n'),
    ];
    const result = await analyzeFiles(jar, files);
    assert.deepEqual(result.packages, []);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [
        ['truncated-file', 'a/truncated.jar'],
        ['corrupt-database', 'a/random-1.0.jar'],
        ['corrupt-database', 'a/empty.jar'],
        ['corrupt-database', 'a/text.war'],
      ],
    );
  });

  it('keeps the outer archive when a nested one is truncated or lies about its size', async () => {
    const war = makeZip([
      pomProperties('org.shop', 'shop', '1.0'),
      { name: 'WEB-INF/lib/cut-2.0.jar', data: nop.subarray(0, 1500), store: true },
      { name: 'WEB-INF/lib/liar-3.0.jar', data: Buffer.alloc(1 << 20), declaredSize: 100 },
      { name: 'WEB-INF/lib/slf4j-nop.jar', data: nop },
    ]);
    const result = await analyzeFiles(jar, [memoryFile('shop.war', war)]);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['org.shop:shop', 'org.slf4j:slf4j-nop'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.message.split(':').slice(0, 2).join(':')]),
      [
        ['truncated-file', 'shop.war: !/WEB-INF/lib/cut-2.0.jar'],
        ['file-unreadable', 'shop.war: !/WEB-INF/lib/liar-3.0.jar'],
      ],
    );
  });

  it('falls back from an incomplete pom.properties or an oversized manifest to the file name', async () => {
    const archive = makeZip([
      { name: 'META-INF/MANIFEST.MF', data: `Implementation-Version: ${'9'.repeat(2 << 20)}\n` },
      { name: 'META-INF/maven/g/a/pom.properties', data: 'groupId=g\n' },
    ]);
    const result = await analyzeFiles(jar, [memoryFile('lib/odd-4.5.jar', archive)]);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.purl]),
      [['odd', '4.5', 'pkg:maven/odd@4.5']],
    );
    assert.deepEqual(codes(result), ['too-many-records', 'missing-field']);
  });

  it('reports a garbage manifest with a capped number of issues, and invalid UTF-8', async () => {
    // Fixed junk (every byte value, no blank line that would end the main section early).
    const junk = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => ((i * 7919) % 253) + 3));
    const garbage = Buffer.concat([
      Buffer.from('Implementation-Version: 1.0\nImplementation-Vendor: \xff\xfe\n', 'latin1'),
      junk,
    ]);
    const archive = makeZip([{ name: 'META-INF/MANIFEST.MF', data: garbage }]);
    const result = await analyzeFiles(jar, [memoryFile('g-1.0.jar', archive)]);
    assert.equal(result.packages.length, 1);
    assert.ok(result.issues.length <= 6, `${result.issues.length}`);
    assert.equal(result.issues[0]?.code, 'invalid-utf8');
  });

  it('names an archive too large to read from its file name, without reading it', async () => {
    const huge = {
      path: 'opt/huge-7.1.ear',
      content: {
        size: MAX_ARCHIVE_BYTES + 1,
        read: async (): Promise<Buffer> => assert.fail('read'),
        stream: () => assert.fail('stream'),
      },
    };
    const result = await analyzeFiles(jar, [huge]);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version]),
      [['huge', '7.1']],
    );
    assert.deepEqual(codes(result), ['too-many-records']);
  });

  it('reports an unreadable file and a central directory with too many entries', async () => {
    const gone = {
      path: 'x.jar',
      content: {
        size: 1,
        read: async (): Promise<Buffer> => Promise.reject(new Error('gone')),
        stream: () => assert.fail('stream'),
      },
    };
    const result = await analyzeFiles(jar, [gone]);
    assert.deepEqual(codes(result), ['file-unreadable']);
    const many = makeZip(Array.from({ length: 20 }, (_, i) => ({ name: `c${i}.class`, data: 'x' })));
    const scanned = await scanArchive(many, 'many-1.0.jar', { ...DEFAULT_LIMITS, maxEntries: 10 });
    assert.deepEqual(
      scanned.records.map((r) => [r.artifact, r.version]),
      [['many', '1.0']],
    );
    assert.match(scanned.problems[0]?.message ?? '', /20 entries, more than 10/);
  });
});

describe('jar analyzer: amplification', () => {
  it('caps the nested archives of one file: a jar of 20 000 empty jars', async () => {
    const empty = makeZip([]);
    const inputs = Array.from({ length: 20_000 }, (_, i) => ({ name: `l/e${i}-1.${i}.jar`, data: empty }));
    const started = performance.now();
    const scanned = await scanArchive(makeZip(inputs), 'amp.jar');
    assert.ok(performance.now() - started < 20_000, 'bounded time');
    assert.equal(scanned.records.length, 1 + DEFAULT_LIMITS.maxNested);
    assert.deepEqual(
      scanned.problems.map((p) => p.message),
      [`10000 nested archives past the first ${DEFAULT_LIMITS.maxNested} ignored`],
    );
  });
});

describe('jar analyzer: mutated real archives', () => {
  it('never throws on 300 byte-flipped copies of a war, and every result fits the schema', async () => {
    const war = makeZip([
      pomProperties('org.shop', 'shop', '1.0'),
      { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\nBundle-License: MIT\n' },
      { name: 'WEB-INF/lib/slf4j-nop.jar', data: nop, store: true },
      { name: 'WEB-INF/lib/dup.jar', data: nop },
    ]);
    // A fixed linear congruential sequence: the same mutations on every run.
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const copy = Buffer.from(war);
      for (let flips = 1 + next(8); flips > 0; flips--) copy[next(copy.length)] = next(256);
      await analyzeFiles(jar, [memoryFile(`m${round}.war`, copy)]);
    }
  });

  it('reports a repeated pom.properties entry once', async () => {
    const twice = makeZip([pomProperties('g.x', 'a', '1'), pomProperties('g.x', 'a', '1')]);
    const result = await analyzeFiles(jar, [memoryFile('a.jar', twice)]);
    assert.deepEqual(
      result.packages.map((p) => p.purl),
      ['pkg:maven/g.x/a@1'],
    );
  });
});
