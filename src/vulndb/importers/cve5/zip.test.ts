import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { makeZip, type ZipInput } from '../../../catalog/analyzers/jar/zip-writer.test.js';
import { isAssayError } from '../../../model/errors.js';
import { detectImporter } from '../../detect.js';
import type { ImportContext, ImportIssue } from '../../importer.js';
import { MemoryDb } from '../../testing/memory-db.js';
import { cve5Importer } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const TREE = fixture('happy/tree');
const MiB = 1024 * 1024;

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'assay-cve5-zip-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function context(issues: ImportIssue[] = [], extra: Partial<ImportContext> = {}): ImportContext {
  return { label: 'test', issue: (i) => issues.push(i), maxRecordBytes: MiB, ...extra };
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** The tree as cvelistV5 zips it: `cves/` and its directories as entries, records, `delta.json`. */
function cvelistEntries(): ZipInput[] {
  const out: ZipInput[] = [{ name: 'cves/', data: '', store: true }];
  const dirs = new Set<string>();
  for (const file of filesUnder(TREE)) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = `cves/${parts.slice(0, i).join('/')}/`;
      if (!dirs.has(dir)) out.push({ name: dir, data: '', store: true });
      dirs.add(dir);
    }
    out.push({ name: `cves/${file}`, data: readFileSync(join(TREE, file)) });
  }
  out.push({
    name: 'cves/delta.json',
    data: '{"fetchTime": "2024-10-24T21:00:00.000Z", "numberOfChanges": 0}',
  });
  return out;
}

async function importInto(db: MemoryDb, path: string, ctx: ImportContext) {
  const stats = await cve5Importer.import(path, db, ctx);
  db.endImport();
  return stats;
}

const allIds = (db: MemoryDb) => [...db.advisories.values()].map((a) => a.value.id).sort();

/** The tree imported directly: what every zip of it must give. */
async function fromTree(): Promise<MemoryDb> {
  const db = new MemoryDb();
  await importInto(db, TREE, context());
  return db;
}

function sameDb(actual: MemoryDb, expected: MemoryDb): void {
  assert.deepEqual([...actual.advisories].sort(), [...expected.advisories].sort());
  const scores = (db: MemoryDb) =>
    db
      .cvss(allIds(db))
      .map((r) => JSON.stringify(r))
      .sort();
  assert.deepEqual(scores(actual), scores(expected));
}

test('a cvelistV5 zip gives the same DB as the tree, records named zip!entry, other entries ignored', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'cves.zip');
  writeFileSync(path, makeZip(cvelistEntries()));
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(db, path, context(issues));
  assert.deepEqual(stats, { records: 18, skipped: 0, dataDate: '2024-10-23T14:49:52.406Z' });
  sameDb(db, await fromTree());
  assert.equal(issues[0]?.file, 'cves.zip!cves/2021/42xxx/CVE-2021-42756.json');
  assert.deepEqual(db.advisory('cve5', 'CVE-2024-28568')?.cwes, ['CWE-121']);
});

test("cvelistV5's zip in a zip: read through a temporary copy that is removed, also on abort", async (t) => {
  const dir = tempDir(t);
  const scratch = tempDir(t);
  const path = join(dir, '2024-10-24_all_CVEs_at_midnight.zip.zip');
  writeFileSync(path, makeZip([{ name: 'cves.zip', data: makeZip(cvelistEntries()) }]));
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  t.after(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  assert.equal((await importInto(db, path, context(issues))).records, 18);
  sameDb(db, await fromTree());
  assert.equal(
    issues[0]?.file,
    '2024-10-24_all_CVEs_at_midnight.zip.zip!cves.zip!cves/2021/42xxx/CVE-2021-42756.json',
  );
  assert.deepEqual(readdirSync(scratch), []);

  const controller = new AbortController();
  const sink = {
    snapshot() {},
    putAdvisory: () => controller.abort(),
    putCvss() {},
    putEpss() {},
    putKev() {},
    putThreatHash() {},
  };
  await assert.rejects(cve5Importer.import(path, sink, context([], { signal: controller.signal })), (err) =>
    isAssayError(err, 'aborted'),
  );
  assert.deepEqual(readdirSync(scratch), []);
});

test('a zip written by Info-ZIP `zip` (directory entries, real headers) imports like the tree', async (t) => {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
  } catch {
    t.skip('no zip command on this machine');
    return;
  }
  const dir = tempDir(t);
  cpSync(TREE, join(dir, 'cves'), { recursive: true });
  execFileSync('zip', ['-q', '-r', '-X', 'cvelist.zip', 'cves'], { cwd: dir });
  const db = new MemoryDb();
  assert.equal((await importInto(db, join(dir, 'cvelist.zip'), context())).records, 18);
  sameDb(db, await fromTree());
  assert.equal((await detectImporter(join(dir, 'cvelist.zip'))).id, 'cve5');
});

/** 16 MiB of zeros deflates to ~16 KiB: declared honestly, it is refused by its size alone. */
const bomb = (name: string): ZipInput => ({ name, data: Buffer.alloc(16 * MiB) });

test('hostile entries are issues naming the entry; the other records still import; nothing is written', async (t) => {
  const dir = tempDir(t);
  const good = (file: string) => readFileSync(join(TREE, file));
  const path = join(dir, 'hostile.zip');
  writeFileSync(
    path,
    makeZip([
      { name: 'cves/2024/1xxx/CVE-2024-1342.json', data: good('2024/1xxx/CVE-2024-1342.json') },
      { name: 'cves/2024/9xxx/CVE-2024-9999.json', data: 'this is not JSON' },
      { name: '../../../etc/CVE-2024-9998.json', data: good('2024/47xxx/CVE-2024-47487.json') },
      { name: '/tmp/CVE-2024-9997.json', data: good('2024/47xxx/CVE-2024-47487.json') },
      bomb('cves/2024/9xxx/CVE-2024-9996.json'),
      { name: 'cves/README.md', data: '# not a record' },
      { name: 'cves/2024/47xxx/CVE-2024-47487.json', data: good('2024/47xxx/CVE-2024-47487.json') },
    ]),
  );
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(db, path, context(issues));
  assert.deepEqual({ records: stats.records, skipped: stats.skipped }, { records: 2, skipped: 4 });
  assert.deepEqual(allIds(db), ['CVE-2024-1342', 'CVE-2024-47487']);
  assert.deepEqual(issues, [
    {
      file: 'hostile.zip!cves/2024/9xxx/CVE-2024-9999.json',
      record: 'CVE-2024-9999',
      message: 'not valid JSON: Unexpected token \'h\', "this is not JSON" is not valid JSON',
    },
    {
      file: 'hostile.zip!../../../etc/CVE-2024-9998.json',
      record: 'CVE-2024-9998',
      message: 'unsafe entry name: invalid relative path: ../../../etc/CVE-2024-9998.json',
    },
    {
      file: 'hostile.zip!/tmp/CVE-2024-9997.json',
      record: 'CVE-2024-9997',
      message: 'unsafe entry name: absolute path: /tmp/CVE-2024-9997.json',
    },
    {
      file: 'hostile.zip!cves/2024/9xxx/CVE-2024-9996.json',
      record: 'CVE-2024-9996',
      message: '16777216 bytes, more than the 1048576-byte record limit',
    },
  ]);
  assert.deepEqual(filesUnder(dir), ['hostile.zip']);
});

test('a truncated zip, or an entry inflating past its declared size, is invalid-input naming the file', async (t) => {
  const dir = tempDir(t);
  const whole = makeZip(cvelistEntries());
  const cut = join(dir, 'cut.zip');
  writeFileSync(cut, whole.subarray(0, whole.length >> 1));
  const lying = join(dir, 'lying.zip');
  writeFileSync(
    lying,
    makeZip([
      { name: 'CVE-2024-1342.json', data: readFileSync(join(TREE, '2024/1xxx/CVE-2024-1342.json')) },
      { name: 'CVE-2024-9995.json', data: Buffer.alloc(MiB / 2), declaredSize: 100 },
    ]),
  );
  for (const path of [cut, lying]) {
    const db = new MemoryDb();
    await assert.rejects(cve5Importer.import(path, db, context()), (err) => {
      assert.ok(isAssayError(err, 'invalid-input'), String(err));
      assert.ok(err.message.startsWith(`${path}: corrupt zip: `), err.message);
      return true;
    });
  }
});

test('a nested zip bomb is refused before extraction; a corrupt nested zip names both archives', async (t) => {
  const dir = tempDir(t);
  const scratch = tempDir(t);
  const cases: Array<[string, ZipInput, string, RegExp]> = [
    [
      'bomb.zip',
      { name: 'cves.zip', data: Buffer.alloc(MiB), declaredSize: 2 ** 31 },
      'too-large',
      /not extracted$/,
    ],
    [
      'junk.zip',
      { name: 'cves.zip', data: 'not a zip at all, just text' },
      'invalid-input',
      /!cves\.zip: corrupt zip: /,
    ],
    [
      'liar.zip',
      { name: 'cves.zip', data: Buffer.alloc(MiB), declaredSize: 1000 },
      'invalid-input',
      /corrupt zip entry/,
    ],
  ];
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  t.after(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });
  for (const [file, entry, code, message] of cases) {
    const path = join(dir, file);
    writeFileSync(path, makeZip([entry]));
    await assert.rejects(cve5Importer.import(path, new MemoryDb(), context()), (err) => {
      assert.ok(isAssayError(err), String(err));
      assert.equal(err.code, code, err.message);
      assert.ok(err.message.startsWith(`${path}!cves.zip: `), err.message);
      assert.match(err.message, message);
      return true;
    });
    assert.deepEqual(readdirSync(scratch), [], file);
  }
});

test('detect: CVE-record zips (flat and nested) are cve5, OSV zips stay OSV, NVD responses are neither', async (t) => {
  const dir = tempDir(t);
  const write = (name: string, entries: ZipInput[]) => {
    writeFileSync(join(dir, name), makeZip(entries));
    return join(dir, name);
  };
  const flat = write('cves.zip', cvelistEntries());
  const nested = write('all.zip.zip', [{ name: 'cves.zip', data: makeZip(cvelistEntries()) }]);
  assert.equal((await detectImporter(flat)).id, 'cve5');
  assert.equal((await detectImporter(nested)).id, 'cve5');
  const osvFixture = fileURLToPath(new URL('../osv/testdata/Go/all.zip', import.meta.url));
  assert.equal((await detectImporter(osvFixture)).id, 'osv');
  // NVD API responses named like CVE records; a record-named bomb; junk under a record name.
  const nvd = fileURLToPath(new URL('../nvd/testdata/happy/CVE-2024-3094.json', import.meta.url));
  const others = [
    write('nvd-responses.zip', [{ name: 'CVE-2024-3094.json', data: readFileSync(nvd) }]),
    write('bomb.zip', [bomb('CVE-2024-9996.json')]),
    write('junk.zip', [{ name: 'cves/CVE-2024-0001.json', data: deflateRawSync('x').toString('hex') }]),
  ];
  for (const path of others)
    await assert.rejects(detectImporter(path), (err) => isAssayError(err, 'invalid-input'), path);
});
