import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAssayError } from '../../../model/errors.js';
import { DEFAULT_MAX_RECORD_BYTES, type ImportContext, type ImportIssue } from '../../importer.js';
import { MemoryDb } from '../../testing/memory-db.js';
import { epssImporter as importer } from './index.js';

const data = (name: string) => new URL(`testdata/${name}`, import.meta.url).pathname;
const HEAD = 'happy/epss_scores-head-2026-09-29.csv';

async function load(db: MemoryDb, name: string) {
  const issues: ImportIssue[] = [];
  const ctx: ImportContext = {
    label: name,
    maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
    issue: (i) => issues.push(i),
  };
  const stats = await importer.import(data(name), db, ctx);
  db.endImport();
  return { stats, issues };
}

const cves = (n: number) => Array.from({ length: n }, (_, i) => `CVE-1999-${String(i + 1).padStart(4, '0')}`);

test('the real head: every row, with the model version and score date of its header', async () => {
  const db = new MemoryDb();
  const { stats, issues } = await load(db, HEAD);
  assert.deepEqual(issues, []);
  assert.deepEqual(stats, { records: 29, skipped: 0, scope: 'epss', dataDate: '2026-09-29' });
  assert.deepEqual(db.epss('CVE-1999-0002'), {
    cve: 'CVE-1999-0002',
    score: 0.27858,
    percentile: 0.98037,
    date: '2026-09-29',
    modelVersion: 'v2026.06.15',
  });
  assert.deepEqual(db.epss('CVE-1999-0030'), {
    cve: 'CVE-1999-0030',
    score: 0.01061,
    percentile: 0.6322,
    date: '2026-09-29',
    modelVersion: 'v2026.06.15',
  });
});

test('the +0000 score-date form of older files', async () => {
  const db = new MemoryDb();
  const { stats } = await load(db, 'happy/epss_scores-excerpt-2024-10-25.csv');
  assert.equal(stats.dataDate, '2024-10-25');
  assert.equal(stats.records, 29);
  assert.deepEqual(db.epss('CVE-2024-9987'), {
    cve: 'CVE-2024-9987',
    score: 0.00043,
    percentile: 0.09778,
    date: '2024-10-25',
    modelVersion: 'v2023.03.01',
  });
});

test('gzip gives the same rows; a file without the model line (CRLF) has no date', async () => {
  const plain = new MemoryDb();
  const gz = new MemoryDb();
  const bare = new MemoryDb();
  await load(plain, HEAD);
  await load(gz, `${HEAD}.gz`);
  const { stats, issues } = await load(bare, 'happy/epss-no-model-line.csv');
  assert.deepEqual(issues, []);
  assert.equal(stats.dataDate, undefined);
  for (const cve of cves(30)) {
    assert.deepEqual(gz.epss(cve), plain.epss(cve));
    const p = plain.epss(cve);
    assert.deepEqual(bare.epss(cve), p && { cve, score: p.score, percentile: p.percentile });
  }
});

test('importing twice is idempotent; a smaller snapshot removes rows that are gone', async () => {
  const db = new MemoryDb();
  await load(db, HEAD);
  const first = cves(30).map((c) => db.epss(c));
  await load(db, HEAD);
  assert.deepEqual(
    cves(30).map((c) => db.epss(c)),
    first,
  );
  await load(db, 'happy/epss_scores-excerpt-2025-02-20.csv');
  assert.deepEqual(db.epss('CVE-1999-0001')?.score, 0.00383);
  assert.equal(db.epss('CVE-1999-0004')?.date, '2025-02-20');
  assert.equal(db.epss('CVE-1999-0006'), undefined);
  assert.equal(db.epss('CVE-1999-0030'), undefined);
});

test('junk lines are reported by line number and skipped; real rows around them land', async () => {
  const db = new MemoryDb();
  const name = 'sad/epss-junk-lines.csv';
  const { stats, issues } = await load(db, name);
  assert.deepEqual(
    issues.map((i) => [i.file, i.record, i.message]),
    [
      [name, 'line 6', '"CVE-2024-XXXX" is not a CVE id'],
      [name, 'line 7', '"not" is not a CVE id'],
      [name, 'line 8', 'CVE-2023-1234: epss "1.5" is not a number between 0 and 1'],
      [name, 'line 9', 'expected 3 fields (cve,epss,percentile), found 2: "CVE-2023-1235,0.1"'],
      [name, 'line 10', 'CVE-2023-1236: percentile "-0.2" is not a number between 0 and 1'],
      [name, 'line 11', 'line longer than 4096 bytes'],
      [name, 'line 12', 'CVE-2023-1237: epss "abc" is not a number between 0 and 1'],
      [name, 'line 13', '"CVE-2023-\uFFFD\uFFFD" is not a CVE id'],
      [name, 'line 15', 'expected 3 fields (cve,epss,percentile), found 4: "CVE-2023-1238,0.1,0.2,extra"'],
      [name, 'line 16', 'CVE-2023-1239: percentile "99.5" is not a number between 0 and 1'],
    ],
  );
  assert.deepEqual(stats, { records: 29, skipped: 10, scope: 'epss', dataDate: '2026-09-29' });
  assert.ok(db.epss('CVE-1999-0003') && db.epss('CVE-1999-0004'));
  assert.equal(db.epss('CVE-2023-1234'), undefined);
});

test('a malformed model line is reported; the rows still land, without a date', async () => {
  const db = new MemoryDb();
  const { stats, issues } = await load(db, 'sad/epss-bad-model-line.csv');
  assert.deepEqual(issues, [
    {
      file: 'sad/epss-bad-model-line.csv',
      record: 'line 1',
      message: 'malformed score_date "2026-13-40T12:00:22Z"',
    },
  ]);
  assert.equal(stats.records, 29);
  assert.equal(stats.dataDate, undefined);
  assert.equal(db.epss('CVE-1999-0001')?.date, undefined);
});

test('no header: invalid-input, nothing written; truncated gzip: invalid-input', async () => {
  const db = new MemoryDb();
  await assert.rejects(
    load(db, 'sad/epss-no-header.csv'),
    (err) =>
      isAssayError(err, 'invalid-input') &&
      err.message ===
        'sad/epss-no-header.csv: line 1: expected the "cve,epss,percentile" header, found "CVE-1999-0001,0.03351,0.88255": not an EPSS CSV',
  );
  assert.equal(db.epss('CVE-1999-0001'), undefined);
  await assert.rejects(
    load(db, 'sad/epss-truncated.csv.gz'),
    (err) =>
      isAssayError(err, 'invalid-input') &&
      /^sad\/epss-truncated\.csv\.gz: truncated gzip stream/.test(err.message),
  );
  await assert.rejects(load(db, 'sad/missing.csv'), (err) => isAssayError(err, 'not-found'));
});

test('detect: the model line or the column header', () => {
  assert.equal(importer.detect('#model_version:v2026.06.15,score_date:2026-09-29T12:00:22Z\ncve,epss'), true);
  assert.equal(importer.detect('cve,epss,percentile\nCVE-1999-0001,0.1,0.2\n'), true);
  assert.equal(importer.detect('cve,epss,percentile\r\n'), true);
  assert.equal(importer.detect('CVE-1999-1593;0.181260000;0.969460000\n'), false);
  assert.equal(importer.detect('{"cve": "x"}'), false);
});
