import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { isAssayError } from '../../../model/errors.js';
import type { ImportContext, ImportIssue } from '../../importer.js';
import { MemoryDb } from '../../testing/memory-db.js';
import type { CvssRecord } from '../../types.js';
import { readHeadSync } from '../common/read-input.js';
import { cve5Importer } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const TREE = fixture('happy/tree');
const TAR = fixture('happy/vulnrichment-sample.tar.gz');

function context(issues: ImportIssue[] = [], maxRecordBytes = 1 << 20): ImportContext {
  return { label: 'test', issue: (i) => issues.push(i), maxRecordBytes };
}

async function importInto(db: MemoryDb, path: string, issues: ImportIssue[] = [], maxRecordBytes?: number) {
  const stats = await cve5Importer.import(path, db, context(issues, maxRecordBytes));
  db.endImport();
  return stats;
}

const brief = (r: CvssRecord) => `${r.source} ${r.sourceName} ${r.version} ${r.vector} ${r.baseScore}`;
const allIds = (db: MemoryDb) => [...db.advisories.values()].map((a) => a.value.id).sort();

/** The two real records whose stated scores disagree with their vectors. */
const REAL_MISMATCHES = [
  'CVE-2021-42756: containers.cna.metrics[0].cvssV3_1: CVSS 3.1 score from fortinet stated as 9.3 but CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:U/RC:C scores 9.8; keeping 9.8',
  'CVE-2024-28568: containers.adp[1].metrics[0].cvssV3_1: CVSS 3.1 score from CISA-ADP stated as 8.4 but CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H scores 6.2; keeping 6.2',
];

test('a record tree: every record, scores by container, real score mismatches reported', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(db, TREE, issues);
  assert.deepEqual(stats, { records: 18, skipped: 0, dataDate: '2024-10-23T14:49:52.406Z' });
  assert.deepEqual(
    issues.map((i) => `${i.record}: ${i.message}`),
    REAL_MISMATCHES,
  );
  assert.equal(issues[0]?.file, join(TREE, '2021/42xxx/CVE-2021-42756.json'));
  const scores = (id: string) => db.cvss([id]).map(brief);
  // CNA v3.1 (the xz backdoor), CNA v4.0, CNA v3.1 + v4.0, v3.0, v2.0.
  assert.deepEqual(scores('CVE-2024-3094'), [
    'cna redhat 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H 10',
  ]);
  assert.deepEqual(scores('CVE-2024-47487'), [
    'cna hikvision 4.0 CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L 7.2',
  ]);
  assert.deepEqual(scores('CVE-2024-41941'), [
    'cna siemens 3.1 CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N/E:P/RL:O/RC:C 4.3',
    'cna siemens 4.0 CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N 5.3',
  ]);
  assert.deepEqual(scores('CVE-2024-7826'), ['cna OpenText 2.0 AV:L/AC:L/Au:S/C:C/I:N/A:C 6.2']);
  // ADP only (CISA's vulnrichment), and CNA + ADP side by side.
  assert.deepEqual(scores('CVE-2024-48799'), [
    'adp CISA-ADP 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N 7.5',
  ]);
  assert.deepEqual(scores('CVE-2024-42027'), [
    'cna hackerone 3.0 CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:L 6.7',
    'adp CISA-ADP 3.1 CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:L 6.7',
  ]);
  // Published with no score at all.
  assert.deepEqual(scores('CVE-2024-34899'), []);
  assert.ok(db.advisory('cve5', 'CVE-2024-34899'));
});

test('the advisory: dates, English description (en-US too), references from CNA and ADP', async () => {
  const db = new MemoryDb();
  await importInto(db, TREE);
  const xz = db.advisory('cve5', 'CVE-2024-3094');
  assert.ok(xz);
  assert.equal(xz.published, '2024-03-29T16:51:12.588Z');
  assert.equal(xz.modified, '2024-08-20T17:24:56.165Z');
  assert.equal(xz.withdrawn, undefined);
  assert.match(
    xz.summary ?? '',
    /^Malicious code was discovered in the upstream tarballs of xz, starting with version 5\.6\.0\./,
  );
  assert.deepEqual(xz.aliases, []);
  assert.deepEqual(db.advisories.get('cve5\u0000CVE-2024-3094')?.value.affected, []);
  assert.ok(xz.references.some((r) => r.type === 'vdb-entry, x_refsource_REDHAT'));
  // An ADP reference tagged only `x_transferred` (a copy of the CNA's) carries no type.
  const freeimage = db.advisory('cve5', 'CVE-2024-28568');
  assert.deepEqual(freeimage?.references, [
    { url: 'https://github.com/Ruanxingzhi/vul-report/tree/master/freeimage-r1909' },
  ]);
  assert.match(db.advisory('cve5', 'CVE-2019-1183')?.details ?? '', /^This information is being revised/);
});

test('rejected records (5.0 and 5.1) are kept as withdrawn with their reason and no scores', async () => {
  const db = new MemoryDb();
  await importInto(db, TREE);
  const rejected = db.advisory('cve5', 'CVE-2024-1342');
  assert.equal(rejected?.withdrawn, '2024-10-14T22:00:07.768Z');
  assert.equal(rejected?.summary, 'Unable to reproduce.');
  assert.equal(
    db.advisory('cve5', 'CVE-2024-3514')?.summary,
    '**DUPLICATE** Please use CVE-2024-1846 instead.',
  );
  assert.deepEqual(db.cvss(['CVE-2024-1342', 'CVE-2024-3514']), []);
});

test('the .tar.gz of the same tree gives the same DB, named as archive!entry', async () => {
  const fromTree = new MemoryDb();
  await importInto(fromTree, TREE);
  const fromTar = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(fromTar, TAR, issues);
  assert.equal(stats.records, 18);
  assert.deepEqual([...fromTar.advisories].sort(), [...fromTree.advisories].sort());
  assert.deepEqual(
    fromTar.cvss(allIds(fromTar)).map(brief).sort(),
    fromTree.cvss(allIds(fromTree)).map(brief).sort(),
  );
  assert.equal(issues[0]?.file, 'vulnrichment-sample.tar.gz!2021/42xxx/CVE-2021-42756.json');
});

test('importing twice leaves the same DB', async () => {
  const db = new MemoryDb();
  await importInto(db, TAR);
  const before = { advisories: structuredClone([...db.advisories]), scores: db.cvss(allIds(db)) };
  await importInto(db, TAR);
  assert.deepEqual([...db.advisories], before.advisories);
  assert.deepEqual(db.cvss(allIds(db)), before.scores);
});

test('a single record file', async () => {
  const db = new MemoryDb();
  const stats = await importInto(db, join(TREE, '2024/47xxx/CVE-2024-47487.json'));
  assert.deepEqual(allIds(db), ['CVE-2024-47487']);
  assert.equal(stats.records, 1);
});

test('a broken entry inside the tar is reported; the others are imported, other files ignored', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(db, fixture('sad/broken-entry.tar.gz'), issues);
  assert.deepEqual({ records: stats.records, skipped: stats.skipped }, { records: 3, skipped: 1 });
  assert.deepEqual(issues, [
    {
      file: 'broken-entry.tar.gz!2024/9xxx/CVE-2024-9999.json',
      record: 'CVE-2024-9999',
      message: "not valid JSON: Expected ',' or '}' after property value in JSON at position 700",
    },
  ]);
  // A hostile entry name is only a label: nothing is written to disk.
  assert.deepEqual(allIds(db), ['CVE-2024-1342', 'CVE-2024-28759', 'CVE-2024-39434']);
});

test('records over maxRecordBytes are skipped with an issue, in a tar and in a tree', async () => {
  for (const path of [TAR, TREE]) {
    const issues: ImportIssue[] = [];
    const db = new MemoryDb();
    const stats = await importInto(db, path, issues, 4000);
    const tooBig = issues.filter((i) => i.message.includes('larger than the limit of 4000 bytes'));
    assert.ok(tooBig.length > 0);
    assert.equal(stats.skipped, tooBig.length);
    assert.equal(stats.records + stats.skipped, 18);
    for (const i of tooBig) assert.equal(db.advisory('cve5', i.record ?? ''), undefined);
  }
});

test('a truncated tar.gz throws invalid-input naming the file, after importing what came before', async () => {
  const db = new MemoryDb();
  const path = fixture('sad/truncated.tar.gz');
  await assert.rejects(cve5Importer.import(path, db, context()), (err) => {
    assert.ok(isAssayError(err, 'invalid-input'), String(err));
    assert.ok(err.message.startsWith(`${path}: truncated or corrupt archive`), err.message);
    return true;
  });
  assert.ok(db.advisories.size > 0);
});

test('wrong shapes: each record reported with file and id; usable parts of the rest kept', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const dir = fixture('sad/wrong-shapes');
  const stats = await importInto(db, dir, issues);
  assert.deepEqual({ records: stats.records, skipped: stats.skipped }, { records: 3, skipped: 6 });
  assert.ok(
    issues.every((i) => i.file === join(dir, '2024/0xxx', `${i.record}.json`) || i.record === 'CVE-2024-4'),
  );
  assert.deepEqual(
    issues.map((i) => `${i.record}: ${i.message}`),
    [
      'CVE-2024-0001: cveMetadata.state: Invalid option: expected one of "PUBLISHED"|"REJECTED"',
      'CVE-2024-0002: containers: Invalid input: expected object, received undefined',
      'CVE-2024-0003: containers.adp[0] dropped: (root): Invalid input: expected object, received number',
      'CVE-2024-0003: containers.cna.metrics[0] is not an object',
      'CVE-2024-0003: containers.cna.metrics[1].cvssV3_0: CVSS vector from hackerone does not score: "CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:Q"',
      'CVE-2024-0003: containers.cna.metrics[2].cvssV3_1 dropped: vectorString: Invalid input: expected string, received undefined',
      'CVE-2024-0003: containers.adp[1].metrics[0].cvssV3_1: CVSS 3.1 score from CISA-ADP stated as 9.1 but CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:L scores 6.7; keeping 6.7',
      'CVE-2024-4: cveMetadata.cveId: not a CVE id',
      'CVE-2024-0005: containers.cna.references[0] dropped: url: Invalid input: expected string, received undefined',
      'CVE-2024-0006: not valid JSON: Expected double-quoted property name in JSON at position 900',
      'CVE-2024-0007: dataType: Invalid input: expected "CVE_RECORD"',
      'CVE-2024-0008: dataVersion: not a 5.x version',
      'CVE-2024-0009: containers.cna.problemTypes[0] dropped: (root): Invalid input: expected object, received number',
      'CVE-2024-0009: containers.cna.problemTypes[1].descriptions[0].cweId "CWE-abc" is not a CWE id',
      'CVE-2024-0009: containers.cna.problemTypes[1].descriptions[2] dropped: (root): Invalid input: expected object, received string',
    ],
  );
  // The usable descriptions of a broken problemTypes list still count; "text" naming a CWE does not.
  assert.deepEqual(db.advisory('cve5', 'CVE-2024-0009')?.cwes, ['CWE-20', 'CWE-1391']);
  assert.equal(issues[7]?.file, join(dir, '2024/0xxx/CVE-2024-0004.json'));
  assert.deepEqual(db.cvss(['CVE-2024-0003']).map(brief), [
    'adp CISA-ADP 3.1 CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:L 6.7',
  ]);
});

test('an aborted import stops with aborted, before or between records', async () => {
  await assert.rejects(
    cve5Importer.import(TAR, new MemoryDb(), { ...context(), signal: AbortSignal.abort() }),
    (err) => isAssayError(err, 'aborted'),
  );
  const controller = new AbortController();
  let written = 0;
  const sink = {
    snapshot() {},
    putAdvisory: () => {
      written++;
      controller.abort();
    },
    putCvss() {},
    putEpss() {},
    putKev() {},
    putThreatHash() {},
  };
  await assert.rejects(cve5Importer.import(TREE, sink, { ...context(), signal: controller.signal }), (err) =>
    isAssayError(err, 'aborted'),
  );
  assert.equal(written, 1);
});

test('a missing path is not-found', async () => {
  await assert.rejects(cve5Importer.import(fixture('nope'), new MemoryDb(), context()), (err) =>
    isAssayError(err, 'not-found'),
  );
});

test('detect: a record, a tree, a tar.gz of records; not NVD pages', (t) => {
  const record = readHeadSync(join(TREE, '2024/3xxx/CVE-2024-3094.json'));
  assert.equal(cve5Importer.detect(record, 'CVE-2024-3094.json'), true);
  assert.equal(cve5Importer.detect('', `${TREE}/`), true);
  assert.equal(cve5Importer.detect('', `${fixture('sad/wrong-shapes')}/`), true);
  const tarHead = gunzipSync(readFileSync(TAR))
    .subarray(0, 64 * 1024)
    .toString('utf8');
  assert.equal(cve5Importer.detect(tarHead, TAR), true);
  assert.equal(cve5Importer.detect('{"format": "NVD_CVE", "vulnerabilities": []}', 'page.json'), false);
  assert.equal(cve5Importer.detect('{"id": "GHSA-1234"}', 'x.tar.gz'), false);
  const empty = mkdtempSync(join(tmpdir(), 'assay-cve5-'));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  writeFileSync(join(empty, 'notes.json'), '{"dataType": "CVE_RECORD"}');
  assert.equal(cve5Importer.detect('', `${empty}/`), false);
});
