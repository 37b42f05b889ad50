import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isAssayError } from '../../../model/errors.js';
import type { ImportContext, ImportIssue } from '../../importer.js';
import { MemoryDb } from '../../testing/memory-db.js';
import type { CvssRecord } from '../../types.js';
import { readHeadSync } from '../common/read-input.js';
import { nvdImporter } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

function context(issues: ImportIssue[] = []): ImportContext {
  return { label: 'test', issue: (i) => issues.push(i), maxRecordBytes: 1 << 20 };
}

async function importInto(db: MemoryDb, name: string, issues: ImportIssue[] = []) {
  const stats = await nvdImporter.import(fixture(name), db, context(issues));
  db.endImport();
  return stats;
}

const brief = (r: CvssRecord) => `${r.source} ${r.sourceName} ${r.version} ${r.vector} ${r.baseScore}`;

test('CVE-2023-4863: the advisory and NVD v3.1 8.8', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(db, 'happy/CVE-2023-4863.json', issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(stats, { records: 1, skipped: 0, dataDate: '2023-11-26T23:42:14.677Z' });
  const adv = db.advisory('nvd', 'CVE-2023-4863');
  assert.ok(adv);
  assert.equal(adv.published, '2023-09-12T15:15:24.327Z');
  assert.equal(adv.modified, '2023-10-28T19:15:38.643Z');
  assert.equal(adv.withdrawn, undefined);
  assert.match(
    adv.details ?? '',
    /^Heap buffer overflow in libwebp in Google Chrome prior to 116\.0\.5845\.187/,
  );
  assert.equal(adv.summary, `${adv.details?.slice(0, 199)}…`);
  assert.match(adv.details ?? '', /\(Chromium security severity: Critical\)$/);
  assert.equal(adv.references.length, 44);
  assert.deepEqual(adv.references[0], { url: 'http://www.openwall.com/lists/oss-security/2023/09/21/4' });
  assert.deepEqual(
    adv.references.find((r) => r.url === 'https://bugzilla.suse.com/show_bug.cgi?id=1215231'),
    {
      type: 'Issue Tracking, Third Party Advisory',
      url: 'https://bugzilla.suse.com/show_bug.cgi?id=1215231',
    },
  );
  assert.deepEqual(db.cvss(['CVE-2023-4863']).map(brief), [
    'nvd nvd@nist.gov 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H 8.8',
  ]);
});

test('CVE-2024-3094: NVD primary and Red Hat secondary both 10; the SSVC metric is no score', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  await importInto(db, 'happy/CVE-2024-3094.json', issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(db.cvss(['CVE-2024-3094']).map(brief).sort(), [
    'cna secalert@redhat.com 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H 10',
    'nvd nvd@nist.gov 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H 10',
  ]);
});

test('v3.0 and v2 metrics keep their versions; a CNA score NVD marks Primary is still the CNA', async () => {
  const db = new MemoryDb();
  await importInto(db, 'happy/CVE-2016-1585.json');
  await importInto(db, 'happy/CVE-2022-34668.json');
  assert.deepEqual(db.cvss(['CVE-2016-1585']).map(brief), [
    'nvd nvd@nist.gov 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H 9.8',
    'cna security@ubuntu.com 3.0 CVSS:3.0/AV:L/AC:H/PR:H/UI:N/S:U/C:L/I:L/A:L 3.9',
    'nvd nvd@nist.gov 2.0 AV:N/AC:L/Au:N/C:P/I:P/A:P 7.5',
  ]);
  assert.deepEqual(db.cvss(['CVE-2022-34668']).map(brief), [
    'cna psirt@nvidia.com 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H 9.8',
  ]);
});

test('v4.0 + v3.1 + v2 metrics, and a rejected CVE kept as withdrawn without scores', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(db, 'happy/v40-v31-v2-and-rejected.json', issues);
  assert.deepEqual(issues, []);
  assert.equal(stats.records, 2);
  assert.deepEqual(db.cvss(['CVE-2024-47487']).map(brief), [
    'cna hikvision_cna@hikvision.com 4.0 CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L 7.2',
    'nvd nvd@nist.gov 3.1 CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H 8.8',
    'nvd nvd@nist.gov 2.0 AV:N/AC:L/Au:S/C:P/I:P/A:P 6.5',
  ]);
  const rejected = db.advisory('nvd', 'CVE-2024-1342');
  assert.equal(rejected?.withdrawn, '2024-10-14T22:15:05.623Z');
  assert.equal(rejected?.summary, 'Rejected reason: Unable to reproduce.');
  assert.deepEqual(db.cvss(['CVE-2024-1342']), []);
});

test('a real page: every CVE, CNA scores as cna, a hard-wrapped description folded into one 200-character summary', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(db, 'happy/page-2023-10-18-trimmed.json', issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(stats, { records: 6, skipped: 0, dataDate: '2023-10-18T18:04:18.493Z' });
  assert.equal(
    db.advisory('nvd', 'CVE-2023-27314')?.summary,
    'ONTAP 9 versions prior to 9.8P19, 9.9.1P16, 9.10.1P12, 9.11.1P8, 9.12.1P2 and 9.13.1 are susceptible to a vulnerability which could allow a remote unauthenticated attacker to cause a crash of the HTT…',
  );
  assert.deepEqual(db.cvss(['CVE-2023-45109']).map(brief), [
    'nvd nvd@nist.gov 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H 8.8',
    'cna audit@patchstack.com 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:L 5.4',
  ]);
  // Awaiting analysis: no metrics yet, the advisory is still stored.
  assert.ok(db.advisory('nvd', 'CVE-2023-46009'));
  assert.deepEqual(db.cvss(['CVE-2023-46009']), []);
});

test('importing the same page twice leaves the same DB', async () => {
  const db = new MemoryDb();
  await importInto(db, 'happy/page-2023-10-18-trimmed.json');
  const ids = [...db.advisories.values()].map((a) => a.value.id);
  const first = { advisories: structuredClone([...db.advisories]), scores: db.cvss(ids) };
  await importInto(db, 'happy/page-2023-10-18-trimmed.json');
  assert.deepEqual([...db.advisories], first.advisories);
  assert.deepEqual(db.cvss(ids), first.scores);
});

test('a directory of pages: .json and .json.gz in name order, other files ignored, latest timestamp', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(db, 'happy/pages', issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(stats, { records: 2, skipped: 0, dataDate: '2025-09-08T00:44:30.996Z' });
  assert.ok(db.advisory('nvd', 'CVE-2022-0090'));
  assert.ok(db.advisory('nvd', 'CVE-2016-1585'));
});

test('one page with broken records among good ones: each reported with file and id, the rest imported', async () => {
  const db = new MemoryDb();
  const issues: ImportIssue[] = [];
  const stats = await importInto(db, 'sad/broken-records-among-good.json', issues);
  assert.deepEqual({ records: stats.records, skipped: stats.skipped }, { records: 6, skipped: 4 });
  const file = fixture('sad/broken-records-among-good.json');
  assert.ok(issues.every((i) => i.file === file));
  assert.deepEqual(
    issues.map((i) => `${i.record}: ${i.message}`),
    [
      'CVE-23-3707: id: not a CVE id',
      'vulnerabilities[2]: not a {"cve": {…}} item',
      'vulnerabilities[3]: not a {"cve": {…}} item',
      'CVE-2023-45901: descriptions: Invalid input: expected array, received undefined',
      'CVE-2023-3706: metrics.cvssMetricV31[0]: CVSS vector from nvd@nist.gov does not score: "CVSS:3.1/AV:X/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N"',
      'CVE-2023-45902: metrics.cvssMetricV31[0]: CVSS 3.1 score from nvd@nist.gov stated as 9.9 but CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H scores 8.8; keeping 8.8',
      'CVE-2023-45903: references[0] dropped: url: Invalid input: expected string, received undefined',
      'CVE-2023-45904: metrics.cvssMetricV31 is not a list',
    ],
  );
  // The unscorable vector drops the score, not the advisory; the wrong stated score keeps ours.
  assert.ok(db.advisory('nvd', 'CVE-2023-3706'));
  assert.deepEqual(db.cvss(['CVE-2023-3706']), []);
  assert.deepEqual(
    db.cvss(['CVE-2023-45902']).map((s) => s.baseScore),
    [8.8],
  );
  assert.equal(db.advisory('nvd', 'CVE-2023-45903')?.references.length, 1);
  assert.equal(db.advisory('nvd', 'CVE-2023-3707'), undefined);
  assert.ok(db.advisory('nvd', 'CVE-2023-3746'));
});

test('a page that cannot be read throws invalid-input naming the file', async (t) => {
  for (const name of [
    'sad/truncated-page.json',
    'sad/truncated-page.json.gz',
    'sad/vulnerabilities-not-a-list.json',
  ]) {
    await t.test(name, async () => {
      const db = new MemoryDb();
      await assert.rejects(nvdImporter.import(fixture(name), db, context()), (err) => {
        assert.ok(isAssayError(err, 'invalid-input'), String(err));
        assert.ok(err.message.includes(fixture(name)), err.message);
        return true;
      });
      assert.equal(db.advisories.size, 0);
    });
  }
});

test('a broken page inside a directory stops the import: a skipped page would lose CVEs for good', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-nvd-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'pages'));
  copyFileSync(fixture('happy/CVE-2023-4863.json'), join(dir, 'pages', 'page-0000.json'));
  copyFileSync(fixture('sad/truncated-page.json'), join(dir, 'pages', 'page-0001.json'));
  await assert.rejects(nvdImporter.import(join(dir, 'pages'), new MemoryDb(), context()), (err) =>
    isAssayError(err, 'invalid-input'),
  );
});

test('an aborted import stops with aborted', async () => {
  const signal = AbortSignal.abort();
  await assert.rejects(
    nvdImporter.import(fixture('happy/page-2023-10-18-trimmed.json'), new MemoryDb(), {
      ...context(),
      signal,
    }),
    (err) => isAssayError(err, 'aborted'),
  );
});

test('a missing path is not-found', async () => {
  await assert.rejects(nvdImporter.import(fixture('nope.json'), new MemoryDb(), context()), (err) =>
    isAssayError(err, 'not-found'),
  );
});

test('detect: pages by content, directories by their first page, never CVE records or archives', () => {
  const page = readHeadSync(fixture('happy/page-2023-10-18-trimmed.json'));
  assert.equal(nvdImporter.detect(page, 'page.json'), true);
  assert.equal(nvdImporter.detect(readHeadSync(fixture('sad/truncated-page.json.gz')), 'p.json.gz'), true);
  assert.equal(nvdImporter.detect('{"resultsPerPage": 1, "vulnerabilities": [', 'x.json'), true);
  assert.equal(nvdImporter.detect('', `${fixture('happy/pages')}/`), true);
  assert.equal(nvdImporter.detect('', `${fixture('sad')}/`), true);
  assert.equal(nvdImporter.detect('', `${fixture('happy/pages')}-missing/`), false);
  assert.equal(
    nvdImporter.detect('{"dataType": "CVE_RECORD", "dataVersion": "5.1"}', 'CVE-2024-1.json'),
    false,
  );
  assert.equal(nvdImporter.detect(page, 'cves.tar.gz'), false);
  assert.equal(nvdImporter.detect('[{"id": "GHSA-xxxx"}]', 'osv.json'), false);
});
