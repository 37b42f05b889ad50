import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { isAssayError } from '../../../model/errors.js';
import { osvImporter } from './index.js';
import { advisory, context, fixture, ids, MemoryDb } from './testkit.test.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-osv-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A zip of `entries` (name → text), stored uncompressed; enough for size and name tests. */
function storedZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBuf = Buffer.from(name);
    const data = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const record = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, modified: '2024-01-01T00:00:00Z', ...extra });

describe('OSV import: real archives', () => {
  it('imports the Go all.zip: SEMVER ranges, stdlib, multi-interval ranges, a withdrawn record', async () => {
    const db = new MemoryDb();
    const ctx = context('Go/all.zip');
    const stats = await osvImporter.import(fixture('Go/all.zip'), db, ctx);
    assert.deepEqual(ctx.issues, []);
    assert.deepEqual(stats, { records: 15, skipped: 0, scope: 'osv:Go' });
    assert.deepEqual(advisory(db, 'GO-2024-2666'), {
      feed: 'osv',
      id: 'GO-2024-2666',
      aliases: ['CVE-2024-28860', 'GHSA-pwqm-x5x6-5586'],
      summary: 'Insecure IPsec transparent encryption in github.com/cilium/cilium',
      details: 'Insecure IPsec transparent encryption in github.com/cilium/cilium',
      published: '0001-01-01T00:00:00Z',
      modified: '0001-01-01T00:00:00Z',
      references: [
        { type: 'ADVISORY', url: 'https://github.com/cilium/cilium/security/advisories/GHSA-pwqm-x5x6-5586' },
      ],
      cvss: [],
      affected: [
        {
          ecosystem: 'Go',
          package: 'github.com/cilium/cilium',
          status: 'fixed',
          ranges: [
            {
              type: 'SEMVER',
              events: [
                { introduced: '0' },
                { fixed: '1.13.14' },
                { introduced: '1.14.0' },
                { fixed: '1.14.9' },
                { introduced: '1.15.0' },
                { fixed: '1.15.3' },
              ],
            },
          ],
          versions: [],
          fixed: '1.15.3',
        },
      ],
    });
    const stdlib = advisory(db, 'GO-2023-2044');
    assert.deepEqual(stdlib?.affected, [
      {
        ecosystem: 'Go',
        package: 'stdlib',
        status: 'fixed',
        ranges: [{ type: 'SEMVER', events: [{ introduced: '1.21.0-0' }, { fixed: '1.21.1' }] }],
        versions: [],
        fixed: '1.21.1',
      },
    ]);
    const withdrawn = advisory(db, 'GO-2022-0617');
    assert.equal(withdrawn?.withdrawn, '2024-08-21T16:25:56Z');
    assert.deepEqual(withdrawn?.affected, []);
    assert.deepEqual(withdrawn?.aliases, ['CVE-2020-8562', 'GHSA-qh36-44jv-c8xj']);
    // A malicious-package record: everything affected, nothing fixed.
    assert.deepEqual(
      advisory(db, 'GO-2025-3451')?.affected.map((a) => [a.package, a.status, a.ranges]),
      [['github.com/boltdb-go/bolt', 'affected', [{ type: 'SEMVER', events: [{ introduced: '0' }] }]]],
    );
    assert.deepEqual(
      db
        .affected('Go', 'github.com/cilium/cilium')
        .map((a) => a.advisoryId)
        .sort(),
      ['GO-2022-0393', 'GO-2023-1730', 'GO-2024-2666'],
    );
  });

  it('imports the PyPI all.zip: PEP 440 pre-releases, GIT ranges dropped, last_affected, versions only, CVSS', async () => {
    const db = new MemoryDb();
    const ctx = context('PyPI/all.zip');
    const stats = await osvImporter.import(fixture('PyPI/all.zip'), db, ctx);
    assert.deepEqual(ctx.issues, []);
    assert.deepEqual(stats, { records: 15, skipped: 0, scope: 'osv:PyPI' });
    assert.deepEqual(advisory(db, 'PYSEC-2022-302')?.affected, [
      {
        ecosystem: 'PyPI',
        package: 'rdiffweb',
        purl: 'pkg:pypi/rdiffweb',
        status: 'fixed',
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.4.10' }] }],
        versions: [],
        fixed: '2.4.10',
      },
    ]);
    const plone = advisory(db, 'PYSEC-2017-57')?.affected[0];
    assert.deepEqual(plone?.ranges, [
      { type: 'ECOSYSTEM', events: [{ introduced: '5.0rc1' }, { fixed: '5.1a2' }] },
    ]);
    assert.equal(plone?.fixed, '5.1a2');
    const py = advisory(db, 'PYSEC-2022-42969')?.affected[0];
    assert.deepEqual(
      [py?.status, py?.fixed, py?.ranges],
      [
        'affected',
        undefined,
        [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '1.11.0' }] }],
      ],
    );
    assert.equal(py?.versions.length, 65);
    assert.deepEqual(
      advisory(db, 'PYSEC-2024-1')?.affected.map((a) => [a.package, a.status, a.ranges, a.versions]),
      [['gratient', 'affected', [], ['0.5']]],
    );
    assert.deepEqual(advisory(db, 'PYSEC-2022-43057')?.cvss, [
      {
        vulnId: 'PYSEC-2022-43057',
        source: 'advisory',
        sourceName: 'PYSEC',
        version: '3.1',
        vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H',
        baseScore: 5.5,
      },
    ]);
  });

  it('imports the GHSA samples of six ecosystems with normalised names and GHSA severity', async () => {
    const db = new MemoryDb();
    const ctx = context();
    for (const eco of ['npm', 'Maven', 'RubyGems', 'crates.io', 'NuGet', 'Packagist']) {
      await osvImporter.import(fixture(`ghsa/${eco}/sample.zip`), db, ctx);
      db.endImport();
    }
    assert.deepEqual(ctx.issues, []);
    assert.equal(db.advisories.size, 8);
    assert.deepEqual(db.ecosystems(), ['Maven', 'NuGet', 'Packagist', 'RubyGems', 'crates.io', 'npm']);
    const nuget = advisory(db, 'GHSA-5crp-9r3c-p9vr');
    assert.deepEqual(
      nuget?.affected.map((a) => [a.ecosystem, a.package, a.fixed]),
      [['NuGet', 'newtonsoft.json', '13.0.1']],
    );
    assert.equal(db.affected('NuGet', 'Newtonsoft.Json').length, 1);
    const semver = advisory(db, 'GHSA-c2qf-rxjj-qqgw');
    assert.deepEqual(
      semver?.affected.map((a) => a.fixed),
      ['7.5.2', '6.3.1', '5.7.2'],
    );
    assert.equal(semver?.vendorSeverity, 'MODERATE');
    assert.deepEqual(
      semver?.cvss.map((c) => [c.source, c.sourceName, c.baseScore]),
      [['advisory', 'GHSA', 5.3]],
    );
    const processwire = advisory(db, 'GHSA-2cvg-w29m-j8xc');
    assert.deepEqual(
      processwire?.affected.map((a) => [a.package, a.status, a.fixed]),
      [['processwire/processwire', 'affected', undefined]],
    );
    assert.equal(processwire?.vendorSeverity, 'HIGH');
    assert.deepEqual(
      advisory(db, 'GHSA-264p-99wq-f4j6')?.affected.map((a) => a.package),
      ['com.amazon.ion:ion-java'],
    );
  });

  it('imports a directory of distro records recursively, without a snapshot', async () => {
    const db = new MemoryDb();
    const ctx = context('distros');
    const stats = await osvImporter.import(fixture('distros'), db, ctx);
    assert.deepEqual(ctx.issues, []);
    assert.deepEqual(stats, { records: 10, skipped: 0 });
    assert.deepEqual(ids(db), [
      'ALPINE-CVE-2023-2650',
      'ALSA-2023:3722',
      'CGA-2x9v-h3xq-mqvx',
      'DEBIAN-CVE-2023-2650',
      'DLA-3449-1',
      'DSA-5417-1',
      'RHSA-2023:3722',
      'RLSA-2023:3722',
      'UBUNTU-CVE-2023-2650',
      'USN-6188-1',
    ]);
    assert.deepEqual(
      db.affected('Debian:11', 'openssl').map((a) => [a.advisoryId, a.fixed]),
      [
        ['DEBIAN-CVE-2023-2650', '1.1.1n-0+deb11u5'],
        ['DSA-5417-1', '1.1.1n-0+deb11u5'],
      ],
    );
    assert.deepEqual(
      db.affected('Alpine:v3.18', 'openssl').map((a) => a.fixed),
      ['3.1.1-r0'],
    );
  });

  it('imports a single record file', async () => {
    const db = new MemoryDb();
    const ctx = context('DSA-5417-1.json');
    const stats = await osvImporter.import(fixture('distros/debian/DSA-5417-1.json'), db, ctx);
    assert.deepEqual([stats, ids(db), ctx.issues], [{ records: 1, skipped: 0 }, ['DSA-5417-1'], []]);
  });
});

describe('OSV import: hostile input', () => {
  it('reports each bad record with its file and id and imports the rest', async () => {
    const db = new MemoryDb();
    const ctx = context('sad');
    const stats = await osvImporter.import(fixture('sad'), db, ctx);
    assert.deepEqual(stats, { records: 1, skipped: 5 });
    assert.deepEqual(ids(db), ['GHSA-9999-8888-7777']);
    assert.deepEqual(
      ctx.issues.map((i) => [i.file, i.record, i.message.replace(/:.*$/s, '')]),
      [
        ['sad/affected-not-array.json', 'PYSEC-2099-1', 'not an OSV record'],
        ['sad/malformed.json', undefined, 'malformed JSON'],
        ['sad/missing-id.json', undefined, 'not an OSV record'],
        ['sad/modified-not-string.json', 'PYSEC-2099-2', 'not an OSV record'],
        ['sad/not-an-object.json', undefined, 'not an OSV record'],
        ['sad/partly-bad.json', 'GHSA-9999-8888-7777', 'unscorable CVSS_V3 vector "CVSS'],
        ['sad/partly-bad.json', 'GHSA-9999-8888-7777', 'PyPI Demo_Package'],
        ['sad/partly-bad.json', 'GHSA-9999-8888-7777', 'unknown ecosystem "Hex" (package demo)'],
      ],
    );
  });

  it('reports a traversal entry name and never reads it as a record', async () => {
    const db = new MemoryDb();
    const ctx = context('traversal.zip');
    const stats = await osvImporter.import(fixture('sad/traversal.zip'), db, ctx);
    assert.deepEqual(stats, { records: 1, skipped: 1 });
    assert.deepEqual(ids(db), ['GO-2099-0002']);
    assert.deepEqual(ctx.issues, [
      {
        file: 'traversal.zip!../x.json',
        record: '../x.json',
        message: 'unsafe entry name: invalid relative path: ../x.json',
      },
    ]);
  });

  it('skips a record above the size limit, in a zip (declared size) and in a directory', async (t) => {
    const dir = await tempDir(t);
    const big = record('GHSA-big0-big0-big0', { details: 'x'.repeat(5000) });
    await writeFile(
      join(dir, 'big.zip'),
      storedZip({ 'GHSA-big0-big0-big0.json': big, 'GO-2099-0003.json': record('GO-2099-0003') }),
    );
    const db = new MemoryDb();
    const ctx = context('big.zip', 4096);
    const stats = await osvImporter.import(join(dir, 'big.zip'), db, ctx);
    assert.deepEqual([stats, ids(db)], [{ records: 1, skipped: 1 }, ['GO-2099-0003']]);
    assert.match(ctx.issues[0]?.message ?? '', /^\d+ bytes, more than the 4096-byte record limit$/);
    assert.equal(ctx.issues[0]?.file, 'big.zip!GHSA-big0-big0-big0.json');

    await mkdir(join(dir, 'records'));
    await writeFile(join(dir, 'records', 'big.json'), big);
    const dirCtx = context('records', 4096);
    const dirStats = await osvImporter.import(join(dir, 'records'), new MemoryDb(), dirCtx);
    assert.deepEqual(dirStats, { records: 0, skipped: 1 });
    assert.equal(dirCtx.issues[0]?.file, join('records', 'big.json'));
  });

  it('skips a zip bomb by its declared size without inflating it', async (t) => {
    const dir = await tempDir(t);
    const { deflateRawSync } = await import('node:zlib');
    // 16 MiB of zeros deflates to ~16 KiB; the cap is 1 MiB.
    const size = 16 * 1024 * 1024;
    const bomb = deflateRawSync(Buffer.alloc(size));
    // Patch the one entry into a deflated entry with the bomb's sizes (local + central header).
    const name = Buffer.from('GHSA-bomb-bomb-bomb.json');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(bomb.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(bomb.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(local.length + name.length + bomb.length, 16);
    await writeFile(join(dir, 'bomb.zip'), Buffer.concat([local, name, bomb, central, name, end]));
    const ctx = context('bomb.zip');
    const stats = await osvImporter.import(join(dir, 'bomb.zip'), new MemoryDb(), ctx);
    assert.deepEqual(stats, { records: 0, skipped: 1 });
    assert.match(ctx.issues[0]?.message ?? '', /^16777216 bytes, more than the 1048576-byte record limit$/);
  });

  it('throws invalid-input for a truncated zip (the caller rolls the import back)', async (t) => {
    const dir = await tempDir(t);
    const whole = await readFile(fixture('Go/all.zip'));
    await mkdir(join(dir, 'Go'));
    await writeFile(join(dir, 'Go', 'all.zip'), whole.subarray(0, Math.floor(whole.length / 2)));
    await assert.rejects(
      osvImporter.import(join(dir, 'Go', 'all.zip'), new MemoryDb(), context('Go/all.zip')),
      (err) => {
        assert.ok(isAssayError(err, 'invalid-input'));
        assert.match(err.message, /^Go\/all\.zip: corrupt zip: /);
        return true;
      },
    );
  });

  it('throws invalid-input for entry data cut short (central directory intact)', async (t) => {
    const dir = await tempDir(t);
    const zip = storedZip({ 'GO-2099-0004.json': record('GO-2099-0004') });
    // Claim the entry is longer than the data that follows its header.
    zip.writeUInt32LE(100000, 18);
    const cdStart = zip.readUInt32LE(zip.length - 6);
    zip.writeUInt32LE(100000, cdStart + 20);
    await writeFile(join(dir, 'short.zip'), zip);
    await assert.rejects(
      osvImporter.import(join(dir, 'short.zip'), new MemoryDb(), context('short.zip')),
      (err) => isAssayError(err, 'invalid-input'),
    );
  });

  it('throws not-found for a missing input', async () => {
    await assert.rejects(osvImporter.import(fixture('no-such-dir'), new MemoryDb(), context('x')), (err) =>
      isAssayError(err, 'not-found'),
    );
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = { ...context(), signal: controller.signal };
    await assert.rejects(osvImporter.import(fixture('Go/all.zip'), new MemoryDb(), ctx), (err) =>
      isAssayError(err, 'aborted'),
    );
  });
});

describe('OSV import: idempotency and snapshots', () => {
  it('importing the same archive twice leaves the same DB', async () => {
    const db = new MemoryDb();
    await osvImporter.import(fixture('PyPI/all.zip'), db, context());
    db.endImport();
    const first = structuredClone([...db.advisories]);
    await osvImporter.import(fixture('PyPI/all.zip'), db, context());
    db.endImport();
    assert.deepEqual([...db.advisories], first);
  });

  it('a later all.zip of the same ecosystem removes records it no longer has', async (t) => {
    const dir = await tempDir(t);
    await mkdir(join(dir, 'a', 'Go'), { recursive: true });
    await mkdir(join(dir, 'b', 'Go'), { recursive: true });
    const a = storedZip({
      'GO-2099-0001.json': record('GO-2099-0001'),
      'GO-2099-0002.json': record('GO-2099-0002'),
    });
    const b = storedZip({ 'GO-2099-0002.json': record('GO-2099-0002') });
    await writeFile(join(dir, 'a', 'Go', 'all.zip'), a);
    await writeFile(join(dir, 'b', 'Go', 'all.zip'), b);
    const db = new MemoryDb();
    // A PyPI snapshot and a single file must survive a Go snapshot.
    await osvImporter.import(fixture('PyPI/all.zip'), db, context());
    db.endImport();
    await osvImporter.import(fixture('distros/debian/DSA-5417-1.json'), db, context());
    db.endImport();
    await osvImporter.import(join(dir, 'a', 'Go', 'all.zip'), db, context());
    db.endImport();
    assert.ok(advisory(db, 'GO-2099-0001'));
    const stats = await osvImporter.import(join(dir, 'b', 'Go', 'all.zip'), db, context());
    db.endImport();
    assert.equal(stats.scope, 'osv:Go');
    assert.equal(advisory(db, 'GO-2099-0001'), undefined);
    assert.ok(advisory(db, 'GO-2099-0002'));
    assert.ok(advisory(db, 'PYSEC-2024-1'));
    assert.ok(advisory(db, 'DSA-5417-1'));
  });

  it('takes the snapshot scope from the records when the folder is not an ecosystem', async (t) => {
    const dir = await tempDir(t);
    await copyFile(fixture('PyPI/all.zip'), join(dir, 'all.zip'));
    const stats = await osvImporter.import(join(dir, 'all.zip'), new MemoryDb(), context());
    assert.equal(stats.scope, 'osv:PyPI');
    const mixed = storedZip({
      'GO-2099-0001.json': record('GO-2099-0001', {
        affected: [{ package: { ecosystem: 'Go', name: 'a' }, versions: ['1.0.0'] }],
      }),
      'PYSEC-2099-1.json': record('PYSEC-2099-1', {
        affected: [{ package: { ecosystem: 'PyPI', name: 'a' }, versions: ['1.0'] }],
      }),
    });
    await writeFile(join(dir, 'all.zip'), mixed);
    const mixedStats = await osvImporter.import(join(dir, 'all.zip'), new MemoryDb(), context());
    assert.deepEqual(mixedStats, { records: 2, skipped: 0 });
  });
});
