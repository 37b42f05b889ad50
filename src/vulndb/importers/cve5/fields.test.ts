import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ImportIssue } from '../../importer.js';
import { MemoryDb } from '../../testing/memory-db.js';
import { cve5Importer } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const TREE = fixture('happy/tree');
/** Five more real records for the CWE cases (CNA + ADP, ADP pairs, "cvw", an id in free text). */
const CWE_TREE = fixture('happy/cwe');

async function importInto(db: MemoryDb, path: string, issues: ImportIssue[] = []) {
  await cve5Importer.import(path, db, {
    label: 'test',
    issue: (i) => issues.push(i),
    maxRecordBytes: 1 << 20,
  });
  db.endImport();
}

test('CWE ids from the CNA and ADP problemTypes: cweId, or the id a CWE-typed text names', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  await importInto(db, TREE, issues);
  await importInto(db, CWE_TREE, issues);
  const cwes = (id: string) => db.advisory('cve5', id)?.cwes;
  // CNA cweId (the xz backdoor; CNA + CVSS v3.1 and v4.0).
  assert.deepEqual(cwes('CVE-2024-3094'), ['CWE-506']);
  assert.deepEqual(cwes('CVE-2024-41941'), ['CWE-863']);
  // Only CISA's ADP container names one (the CNA says "n/a", or nothing).
  assert.deepEqual(cwes('CVE-2024-28568'), ['CWE-121']);
  assert.deepEqual(cwes('CVE-2024-42027'), ['CWE-1391']);
  assert.deepEqual(cwes('CVE-2024-27489'), ['CWE-473', 'CWE-791']);
  // Both: the CNA's first, then the ADP's.
  assert.deepEqual(cwes('CVE-2024-30058'), ['CWE-357', 'CWE-290']);
  assert.deepEqual(cwes('CVE-2024-48925'), ['CWE-284', 'CWE-863']);
  // Type "CWE" without cweId ("cwe-125 Out-of-bounds Read"); no type, id in the text; type "cvw".
  assert.deepEqual(cwes('CVE-2024-39434'), ['CWE-125']);
  assert.deepEqual(cwes('CVE-2024-49400'), ['CWE-625']);
  assert.deepEqual(cwes('CVE-2024-45740'), ['CWE-79']);
  // "Impact", "text: n/a", a description without any id, a rejected record: none.
  for (const id of ['CVE-2019-1183', 'CVE-2023-49460', 'CVE-2024-23236', 'CVE-2024-1342', 'CVE-2024-47487'])
    assert.equal(cwes(id), undefined, id);
  assert.ok(issues.every((i) => !i.message.includes('problemTypes')));
});

test('dates: published from datePublished, modified from dateUpdated; dateReserved never', async () => {
  const db = new MemoryDb();
  await importInto(db, TREE);
  await importInto(db, fixture('sad/wrong-shapes'));
  // Zone-less timestamps (MITRE's records) are UTC.
  const mitre = db.advisory('cve5', 'CVE-2024-48799');
  assert.deepEqual([mitre?.published, mitre?.modified], ['2024-10-14T00:00:00Z', '2024-10-15T15:00:17.628Z']);
  // 496 published records of the snapshot state neither datePublished nor dateReserved.
  const undated = db.advisory('cve5', 'CVE-2024-34899');
  assert.deepEqual([undated?.published, undated?.modified], [undefined, '2024-06-04T17:42:21.550Z']);
  // A record with datePublished only (hand-edited): modified is the publication.
  const never = db.advisory('cve5', 'CVE-2024-0009');
  assert.deepEqual(
    [never?.published, never?.modified],
    ['2024-10-07T12:46:16.115Z', '2024-10-07T12:46:16.115Z'],
  );
});

test("references: the CNA's, then the URLs an ADP adds; a URL copied into an ADP is kept once", async () => {
  const db = new MemoryDb();
  await importInto(db, TREE);
  // 6 from Red Hat's (trimmed) container, then 8 more from the CVE Program container (ADP "CVE").
  const xz = db.advisory('cve5', 'CVE-2024-3094')?.references ?? [];
  assert.equal(xz.length, 14);
  assert.equal(xz[0]?.url, 'http://www.openwall.com/lists/oss-security/2024/03/29/10');
  assert.deepEqual(xz[6], {
    url: 'https://access.redhat.com/security/cve/CVE-2024-3094',
    type: 'vdb-entry, x_refsource_REDHAT',
  });
  // The CVE Program container repeats the CNA's one URL (tagged x_transferred): stored once.
  assert.equal(db.advisory('cve5', 'CVE-2019-1183')?.references.length, 1);
});
