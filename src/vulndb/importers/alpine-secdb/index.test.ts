import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isAssayError } from '../../../model/errors.js';
import type { ImportContext, ImportIssue } from '../../importer.js';
import { MemoryDb } from '../../testing/memory-db.js';
import { alpineSecdbImporter } from './index.js';

const fixture = (rel: string) => fileURLToPath(new URL(`testdata/${rel}`, import.meta.url));

function context(label: string, maxRecordBytes = 1 << 20): ImportContext & { issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  return { label, maxRecordBytes, issues, issue: (i) => issues.push(i) };
}

const advisory = (db: MemoryDb, id: string, feed = 'alpine-secdb:v3.11/main') =>
  db.advisories.get(`${feed}\u0000${id}`)?.value;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-secdb-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('Alpine secdb import: real files', () => {
  it('imports v3.11/main: one advisory per id, merged across packages, junk reported', async () => {
    const db = new MemoryDb();
    const ctx = context('v3.11/main.json');
    const stats = await alpineSecdbImporter.import(fixture('v3.11/main.json'), db, ctx);
    assert.deepEqual(stats, { records: 261, skipped: 1, scope: 'alpine-secdb:v3.11/main' });
    assert.deepEqual(ctx.issues, [
      {
        file: 'v3.11/main.json',
        record: 'xen 4.10-1-r1',
        message: 'fixed version "4.10-1-r1" is not an apk version',
      },
    ]);
    assert.deepEqual(advisory(db, 'CVE-2019-9517'), {
      feed: 'alpine-secdb:v3.11/main',
      id: 'CVE-2019-9517',
      aliases: [],
      references: [{ type: 'ADVISORY', url: 'https://security.alpinelinux.org/vuln/CVE-2019-9517' }],
      cvss: [],
      affected: [
        {
          ecosystem: 'Alpine:v3.11',
          package: 'apache2',
          status: 'fixed',
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.4.41-r0' }] }],
          versions: [],
          fixed: '2.4.41-r0',
        },
        {
          ecosystem: 'Alpine:v3.11',
          package: 'nodejs',
          status: 'fixed',
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '10.16.3-r0' }] }],
          versions: [],
          fixed: '10.16.3-r0',
        },
      ],
    });
    // `CVE-2017-12122 TALOS-2017-0488`: one flaw, two names.
    assert.deepEqual(advisory(db, 'CVE-2017-12122')?.aliases, ['TALOS-2017-0488']);
    // `CVE-2018-14879 (tcpdump -V)`: the remark is not part of the id.
    assert.equal(advisory(db, 'CVE-2018-14879')?.affected[0]?.fixed, '4.9.3-r0');
    // `CVE-????-?????  XSA-…`: the Xen advisory stands alone.
    assert.deepEqual(
      advisory(db, 'XSA-207')?.affected.map((a) => a.package),
      ['xen'],
    );
    // `CVE-2019-1543` is listed under file and openssl: one advisory, both packages.
    assert.deepEqual(
      advisory(db, 'CVE-2019-1543')?.affected.map((a) => [a.package, a.fixed]),
      [
        ['file', '5.36-r0'],
        ['openssl', '1.1.1b-r1'],
      ],
    );
    assert.ok(db.affected('Alpine:v3.11', 'openssl').some((a) => a.advisoryId === 'CVE-2019-1543'));
  });

  it('imports v3.11/community and reports its junk ids with package and version', async () => {
    const db = new MemoryDb();
    const ctx = context('community.json');
    const stats = await alpineSecdbImporter.import(fixture('v3.11/community.json'), db, ctx);
    assert.deepEqual(stats, { records: 23, skipped: 2, scope: 'alpine-secdb:v3.11/community' });
    assert.deepEqual(
      ctx.issues.map((i) => [i.record, i.message]),
      [
        ['dia 0.97.3-r1', 'unrecognised id "CVE-2019-19451.patch" in "CVE-2019-19451.patch"'],
        ['openjdk7 7.211.2.6.17-r0', 'unrecognised id "CVE_2019-2426" in "CVE_2019-2426"'],
      ],
    );
    assert.deepEqual(
      advisory(db, 'CVE-2019-16884', 'alpine-secdb:v3.11/community')?.affected.map((a) => [
        a.package,
        a.fixed,
      ]),
      [
        ['containerd', '1.3.0'],
        ['runc', '1.0.0_rc9'],
      ],
    );
  });

  it('reads the gzipped file the same as the plain one', async () => {
    const plain = new MemoryDb();
    const gz = new MemoryDb();
    const a = await alpineSecdbImporter.import(fixture('v3.10/main.json'), plain, context('main.json'));
    const b = await alpineSecdbImporter.import(fixture('v3.10/main.json.gz'), gz, context('main.json.gz'));
    assert.deepEqual(a, b);
    assert.ok(a.records > 0);
    assert.deepEqual([...gz.advisories], [...plain.advisories]);
  });

  it('keeps each release in its own namespace and scope', async () => {
    const db = new MemoryDb();
    await alpineSecdbImporter.import(fixture('v3.9/main.json'), db, context('v3.9'));
    db.endImport();
    await alpineSecdbImporter.import(fixture('v3.10/main.json'), db, context('v3.10'));
    db.endImport();
    assert.deepEqual(db.ecosystems(), ['Alpine:v3.10', 'Alpine:v3.9']);
    // A CVE both releases list keeps both releases' entries (one feed per file).
    assert.deepEqual(
      db.affected('Alpine:v3.9', 'openssl').find((a) => a.advisoryId === 'CVE-2019-1547')?.fixed,
      '1.1.1d-r0',
    );
    assert.deepEqual(
      db.affected('Alpine:v3.10', 'openssl').find((a) => a.advisoryId === 'CVE-2019-1547')?.fixed,
      '1.1.1d-r0',
    );
    assert.deepEqual(
      db.advisoriesFor('CVE-2019-1547').map((a) => a.feed),
      ['alpine-secdb:v3.9/main', 'alpine-secdb:v3.10/main'],
    );
  });
});

describe('Alpine secdb import: hostile input', () => {
  it('reports bad entries with package and version and imports the rest', async () => {
    const db = new MemoryDb();
    const ctx = context('junk.json');
    const stats = await alpineSecdbImporter.import(fixture('sad/v3.19-main-junk.json'), db, ctx);
    assert.deepEqual(stats, { records: 11, skipped: 5, scope: 'alpine-secdb:v3.19/main' });
    assert.deepEqual(
      ctx.issues.map((i) => [i.file, i.record, i.message]),
      [
        ['junk.json', 'openssl 3.1.4-rX', 'fixed version "3.1.4-rX" is not an apk version'],
        ['junk.json', 'openssl 3.1.4-r3', 'expected a list of ids, got null'],
        ['junk.json', 'openssl 3.1.4-r4', 'id 42 is not a string'],
        ['junk.json', 'openssl 3.1.4-r4', 'unrecognised id "CVE_2023-6129" in "CVE_2023-6129"'],
        [
          'junk.json',
          'packages[2]',
          'not a secdb package entry: Invalid input: expected string, received undefined',
        ],
      ],
    );
    const feed = 'alpine-secdb:v3.19/main';
    assert.equal(advisory(db, 'CVE-2023-5363', feed), undefined);
    assert.equal(advisory(db, 'CVE-2021-22897', feed)?.affected[0]?.status, 'not_affected');
    assert.deepEqual(
      advisory(db, 'CVE-2023-44487', feed)?.affected.map((a) => a.package),
      ['nghttp2', 'nodejs'],
    );
    assert.equal(advisory(db, 'CVE-2023-42363', feed)?.affected[0]?.fixed, '1.36.1-r16');
  });

  for (const [name, code] of [
    ['sad/truncated.json', 'invalid-input'],
    ['sad/wrong-shape.json', 'invalid-input'],
  ] as const) {
    it(`throws ${code} for ${name}`, async () => {
      const db = new MemoryDb();
      await assert.rejects(alpineSecdbImporter.import(fixture(name), db, context(name)), (err) => {
        assert.ok(isAssayError(err, code));
        assert.ok(err.message.startsWith(`${name}: `), err.message);
        return true;
      });
      assert.equal(db.advisories.size, 0);
    });
  }

  it('throws for a truncated gzip and for a file above the size limit', async (t) => {
    const dir = await tempDir(t);
    const gz = await readFile(fixture('v3.10/main.json.gz'));
    await writeFile(join(dir, 'cut.json.gz'), gz.subarray(0, gz.length - 20));
    await assert.rejects(
      alpineSecdbImporter.import(join(dir, 'cut.json.gz'), new MemoryDb(), context('cut')),
      (err) => isAssayError(err, 'invalid-input'),
    );
    await assert.rejects(
      alpineSecdbImporter.import(fixture('v3.11/main.json'), new MemoryDb(), context('big', 1024)),
      (err) => isAssayError(err, 'too-large'),
    );
    // A gzip that inflates past the limit is refused too.
    await assert.rejects(
      alpineSecdbImporter.import(fixture('v3.10/main.json.gz'), new MemoryDb(), context('bomb', 500)),
      (err) => isAssayError(err, 'invalid-input'),
    );
  });
});

describe('Alpine secdb import: idempotency, snapshots, detect', () => {
  it('importing twice leaves the same DB; a newer file drops ids it no longer lists', async (t) => {
    const db = new MemoryDb();
    await alpineSecdbImporter.import(fixture('v3.9/main.json'), db, context('a'));
    db.endImport();
    const first = structuredClone([...db.advisories]);
    await alpineSecdbImporter.import(fixture('v3.9/main.json'), db, context('a'));
    db.endImport();
    assert.deepEqual([...db.advisories], first);

    const dir = await tempDir(t);
    const doc = JSON.parse(await readFile(fixture('v3.9/main.json'), 'utf8'));
    doc.packages = doc.packages.filter((p: { pkg: { name: string } }) => p.pkg.name !== 'ansible');
    await writeFile(join(dir, 'main.json'), JSON.stringify(doc));
    assert.ok(db.advisories.has('alpine-secdb:v3.9/main\u0000CVE-2019-10206'));
    await alpineSecdbImporter.import(join(dir, 'main.json'), db, context('b'));
    db.endImport();
    assert.equal(db.advisories.has('alpine-secdb:v3.9/main\u0000CVE-2019-10206'), false);
    assert.ok(db.advisories.has('alpine-secdb:v3.9/main\u0000CVE-2019-1547'));
  });

  it('detects secdb heads only', () => {
    const { detect } = alpineSecdbImporter;
    assert.equal(
      detect('{\n "distroversion": "v3.11",\n "reponame": "main",\n "archs": [', 'main.json'),
      false,
    );
    assert.equal(
      detect('{\n "distroversion": "v3.11",\n "reponame": "main",\n "packages": [', 'main.json'),
      true,
    );
    assert.equal(
      detect('{"apkurl": "x", "distroversion": "v3.19", "packages": [{"pkg": {"secfixes": {', 'a.json.gz'),
      true,
    );
    assert.equal(detect('{"id": "GHSA-1", "affected": [', 'a.json'), false);
    assert.equal(detect('', '/dir/'), false);
  });
});
