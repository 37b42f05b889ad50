import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../../../model/errors.js';
import { DEFAULT_MAX_RECORD_BYTES, type ImportContext, type ImportIssue } from '../../importer.js';
import { MemoryDb } from '../../testing/memory-db.js';
import { kevImporter as importer } from './index.js';

const data = (name: string) => new URL(`testdata/${name}`, import.meta.url).pathname;
const TRIMMED = 'happy/kev-trimmed.json';

async function loadPath(
  db: MemoryDb,
  path: string,
  label: string,
  maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
) {
  const issues: ImportIssue[] = [];
  const ctx: ImportContext = { label, maxRecordBytes, issue: (i) => issues.push(i) };
  const stats = await importer.import(path, db, ctx);
  db.endImport();
  return { stats, issues };
}
const load = (db: MemoryDb, name: string) => loadPath(db, data(name), name);

async function fixtureIds(name: string): Promise<string[]> {
  const doc = JSON.parse(await readFile(data(name), 'utf8')) as { vulnerabilities: { cveID: string }[] };
  return doc.vulnerabilities.map((v) => v.cveID);
}

test('the trimmed real catalog: every entry, with ransomware use as a boolean', async () => {
  const db = new MemoryDb();
  const { stats, issues } = await load(db, TRIMMED);
  assert.deepEqual(issues, []);
  assert.deepEqual(stats, { records: 30, skipped: 0, scope: 'kev', dataDate: '2025-08-25' });
  assert.deepEqual(db.kev('CVE-2025-22457'), {
    cve: 'CVE-2025-22457',
    vendorProject: 'Ivanti',
    product: 'Connect Secure, Policy Secure, and ZTA Gateways',
    name: 'Ivanti Connect Secure, Policy Secure, and ZTA Gateways Stack-Based Buffer Overflow Vulnerability',
    dateAdded: '2025-04-04',
    dueDate: '2025-04-11',
    requiredAction: 'Apply mitigations as set forth in the CISA instructions linked below.',
    knownRansomwareCampaignUse: true,
    notes:
      'CISA Mitigation Instructions: https://www.cisa.gov/cisa-mitigation-instructions-cve-2025-22457 ; Additional References: https://forums.ivanti.com/s/article/April-Security-Advisory-Ivanti-Connect-Secure-Policy-Secure-ZTA-Gateways-CVE-2025-22457 ; https://nvd.nist.gov/vuln/detail/CVE-2025-22457',
  });
  assert.equal(db.kev('CVE-2025-48384')?.knownRansomwareCampaignUse, false);
  assert.equal(db.kev('CVE-2025-48384')?.dueDate, '2025-09-15');
  const ids = await fixtureIds(TRIMMED);
  assert.equal(ids.filter((id) => db.kev(id)?.knownRansomwareCampaignUse).length, 9);
  assert.ok(ids.every((id) => db.kev(id)?.cve === id));
});

test('gzip gives the same records; importing twice is idempotent; a smaller catalog replaces it', async () => {
  const ids = await fixtureIds(TRIMMED);
  const plain = new MemoryDb();
  const gz = new MemoryDb();
  await load(plain, TRIMMED);
  await load(gz, `${TRIMMED}.gz`);
  assert.deepEqual(
    ids.map((id) => gz.kev(id)),
    ids.map((id) => plain.kev(id)),
  );
  const before = ids.map((id) => plain.kev(id));
  await load(plain, TRIMMED);
  assert.deepEqual(
    ids.map((id) => plain.kev(id)),
    before,
  );
  const { stats } = await load(plain, 'happy/kev-smaller.json');
  assert.equal(stats.dataDate, '2025-08-26');
  assert.deepEqual(
    ids.filter((id) => plain.kev(id)),
    ids.slice(0, 3),
  );
});

test('bad entries are reported by index and cveID; good ones and kept ones land', async () => {
  const db = new MemoryDb();
  const name = 'sad/kev-bad-entries.json';
  const { stats, issues } = await load(db, name);
  const ids = await fixtureIds(TRIMMED);
  assert.deepEqual(
    issues.map((i) => [i.file, i.record, i.message]),
    [
      [name, 'entry 4', 'expected an object, found string'],
      [name, 'entry 5 (CVE-24-1)', 'cveID "CVE-24-1" is not a CVE id'],
      [name, 'entry 6', 'no cveID'],
      [name, 'entry 7 (CVE-2099-0001)', 'dateAdded "2025-02-30" is not a YYYY-MM-DD date'],
      [
        name,
        'entry 8 (CVE-2099-0002)',
        'knownRansomwareCampaignUse "Maybe" is not Known or Unknown; product is not a string; dueDate "soon" is not a YYYY-MM-DD date',
      ],
      [name, 'entry 9 (CVE-2099-0003)', 'dateAdded null is not a YYYY-MM-DD date'],
      [name, `entry 11 (${ids[0]})`, 'duplicate of entry 0; this later entry wins'],
    ],
  );
  assert.deepEqual(stats, { records: 7, skipped: 5, scope: 'kev', dataDate: '2025-08-25' });
  const kept = db.kev('CVE-2099-0002');
  assert.equal(kept?.knownRansomwareCampaignUse, false);
  assert.equal(kept?.product, undefined);
  assert.equal(kept?.dueDate, undefined);
  assert.equal(kept?.vendorProject, 'Apple');
  assert.equal(db.kev('CVE-2099-0001'), undefined);
  // The duplicate (another entry's fields under entry 0's id) replaced entry 0.
  const doc = JSON.parse(await readFile(data(name), 'utf8')) as { vulnerabilities: { product: string }[] };
  assert.equal(db.kev(ids[0] ?? '')?.product, doc.vulnerabilities[11]?.product);
  assert.notEqual(doc.vulnerabilities[11]?.product, doc.vulnerabilities[0]?.product);
});

test('a count that disagrees with the list is reported, the entries still land', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'assay-kev-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'kev.json');
  const doc = JSON.parse(await readFile(data('happy/kev-smaller.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(path, JSON.stringify({ ...doc, count: 5 }));
  const { stats, issues } = await loadPath(new MemoryDb(), path, 'kev.json');
  assert.deepEqual(issues, [
    { file: 'kev.json', record: 'count', message: 'count says 5, the catalog lists 3' },
  ]);
  assert.equal(stats.records, 3);
});

test('wrong shape, truncated JSON or gzip, or an oversized file throw before anything is written', async () => {
  const cases: [string, string, RegExp][] = [
    [
      'sad/kev-no-vulnerabilities.json',
      'invalid-input',
      /"vulnerabilities" is not an array: not a KEV catalog$/,
    ],
    ['sad/kev-truncated.json', 'invalid-input', /^sad\/kev-truncated\.json: invalid JSON: /],
    ['sad/kev-truncated.json.gz', 'invalid-input', /^sad\/kev-truncated\.json\.gz: truncated gzip stream/],
  ];
  for (const [name, code, message] of cases) {
    const db = new MemoryDb();
    db.putKev({ cve: 'CVE-2000-0001', dateAdded: '2020-01-01', knownRansomwareCampaignUse: false });
    db.snapshot('kev');
    db.endImport();
    await assert.rejects(
      load(db, name),
      (err) => isAssayError(err) && err.code === code && message.test(err.message),
      name,
    );
    assert.equal(db.kev('CVE-2000-0001')?.dateAdded, '2020-01-01', `${name}: the earlier snapshot is intact`);
  }
  await assert.rejects(loadPath(new MemoryDb(), data(TRIMMED), 'kev', 1000), (err) =>
    isAssayError(err, 'too-large'),
  );
});

test('detect: the catalog head, not other JSON', () => {
  assert.equal(importer.detect('{\n    "title": "CISA Catalog",\n    "catalogVersion": "2025.08.25",'), true);
  assert.equal(importer.detect('{"vulnerabilities": [{"cveID": "CVE-2025-1"}]}'), true);
  assert.equal(
    importer.detect('{"resultsPerPage": 1, "vulnerabilities": [{"cve": {"id": "CVE-1"}}]}'),
    false,
  );
  assert.equal(importer.detect('cve,epss,percentile'), false);
});
