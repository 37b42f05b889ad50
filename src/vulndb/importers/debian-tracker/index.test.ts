import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isAssayError } from '../../../model/errors.js';
import { DEFAULT_MAX_RECORD_BYTES, type ImportContext, type ImportIssue } from '../../importer.js';
import { MemoryDb } from '../../testing/memory-db.js';
import type { AffectedRecord } from '../../types.js';
import { debianTrackerImporter as importer } from './index.js';

const data = (name: string) => new URL(`testdata/${name}`, import.meta.url).pathname;

function context(label: string, maxRecordBytes = DEFAULT_MAX_RECORD_BYTES) {
  const issues: ImportIssue[] = [];
  const ctx: ImportContext = { label, maxRecordBytes, issue: (i) => issues.push(i) };
  return { ctx, issues };
}

async function load(db: MemoryDb, name: string, maxRecordBytes?: number) {
  const { ctx, issues } = context(name, maxRecordBytes);
  const stats = await importer.import(data(name), db, ctx);
  db.endImport();
  return { stats, issues };
}

const range = (fixed?: string) => [
  { type: 'ECOSYSTEM', events: fixed ? [{ introduced: '0' }, { fixed }] : [{ introduced: '0' }] },
];

const byNamespace = (db: MemoryDb, ns: string, pkg: string, id: string) =>
  db.affected(ns, pkg).filter((a) => a.advisoryId === id);

test('the real excerpt: every release of every CVE, with status, range and urgency', async () => {
  const db = new MemoryDb();
  const { stats, issues } = await load(db, 'happy/tracker-excerpt.json');
  assert.deepEqual(issues, []);
  assert.deepEqual(stats, { records: 3, skipped: 0, scope: 'debian-tracker' });
  assert.deepEqual(db.advisory('debian-tracker', 'CVE-2016-1585'), {
    feed: 'debian-tracker',
    id: 'CVE-2016-1585',
    aliases: [],
    summary: 'In all versions of AppArmor mount rules are accidentally widened when compiled.',
    references: [
      { type: 'WEB', url: 'https://security-tracker.debian.org/tracker/CVE-2016-1585' },
      { type: 'REPORT', url: 'https://bugs.debian.org/929990' },
    ],
    cvss: [],
  });
  const entries = db.advisories.get('debian-tracker\u0000CVE-2016-1585')?.value.affected;
  assert.deepEqual(entries, [
    ...['12', '11', '10'].map(
      (n): AffectedRecord => ({
        ecosystem: `Debian:${n}`,
        package: 'apparmor',
        versions: [],
        status: 'affected',
        ranges: range(),
        vendorSeverity: 'unimportant',
      }),
    ),
    ...['sid', '13'].map(
      (n): AffectedRecord => ({
        ecosystem: `Debian:${n}`,
        package: 'apparmor',
        versions: [],
        status: 'fixed',
        ranges: range('3.0.12-1'),
        fixed: '3.0.12-1',
        vendorSeverity: 'unimportant',
      }),
    ),
  ]);
  // fixed_version "0": never affected; "not yet assigned" is no severity.
  const [never] = byNamespace(db, 'Debian:12', 'apparmor', 'CVE-2014-1424');
  assert.equal(never?.status, 'not_affected');
  const [pending] = byNamespace(db, 'Debian:12', 'apparmor', 'CVE-2017-6507');
  assert.deepEqual(pending?.ranges, range('2.11.0-3'));
  assert.equal(pending?.vendorSeverity, undefined);
});

test('every status, urgency and no-dsa combination maps as documented', async () => {
  const db = new MemoryDb();
  const { stats, issues } = await load(db, 'happy/tracker-statuses.json');
  assert.deepEqual(issues, []);
  assert.equal(stats.records, 5);
  const status = (ns: string, pkg: string, id: string) => {
    const [a] = byNamespace(db, ns, pkg, id);
    return a && [a.status, a.fixed, a.vendorSeverity];
  };
  assert.deepEqual(status('Debian:12', 'curl', 'CVE-2023-38545'), ['fixed', '7.88.1-10+deb12u4', 'high']);
  assert.deepEqual(status('Debian:11', 'curl', 'CVE-2023-38545'), ['not_affected', undefined, 'high']);
  assert.deepEqual(status('Debian:10', 'curl', 'CVE-2023-38545'), ['end_of_life', undefined, undefined]);
  assert.deepEqual(status('Debian:12', 'curl', 'CVE-2024-2379'), ['affected', undefined, 'low']);
  assert.deepEqual(status('Debian:11', 'curl', 'CVE-2024-2379'), ['affected', undefined, 'low']);
  assert.deepEqual(status('Debian:10', 'curl', 'CVE-2024-2379'), ['will_not_fix', undefined, 'unimportant']);
  assert.deepEqual(status('Debian:sid', 'curl', 'CVE-2024-2379'), ['affected', undefined, undefined]);
  assert.deepEqual(status('Debian:13', 'curl', 'CVE-2024-2379'), ['affected', undefined, 'medium']);
  assert.deepEqual(status('Debian:sid', 'curl', 'TEMP-0000000-1A2B3C'), ['affected', undefined, undefined]);
  assert.deepEqual(
    db.affected('Debian:12', 'curl').find((a) => a.status === 'will_not_fix'),
    undefined,
  );
});

test('a CVE under two source packages is one advisory with both packages and one tracker link', async () => {
  const db = new MemoryDb();
  await load(db, 'happy/tracker-statuses.json');
  const record = db.advisories.get('debian-tracker\u0000CVE-2023-44487')?.value;
  assert.deepEqual(
    record?.affected.map((a) => [a.package, a.ecosystem, a.status]),
    [
      ['nghttp2', 'Debian:12', 'fixed'],
      ['nghttp2', 'Debian:sid', 'fixed'],
      ['golang-1.19', 'Debian:12', 'will_not_fix'],
    ],
  );
  assert.deepEqual(record?.references, [
    { type: 'WEB', url: 'https://security-tracker.debian.org/tracker/CVE-2023-44487' },
    { type: 'REPORT', url: 'https://bugs.debian.org/1053769' },
  ]);
});

test('gzip input gives the same records as plain input', async () => {
  const plain = new MemoryDb();
  const gz = new MemoryDb();
  await load(plain, 'happy/tracker-statuses.json');
  await load(gz, 'happy/tracker-statuses.json.gz');
  assert.ok(plain.advisories.size > 0);
  assert.deepEqual([...gz.advisories], [...plain.advisories]);
});

test('importing twice leaves the same DB; a smaller snapshot removes what is gone', async () => {
  const db = new MemoryDb();
  await load(db, 'happy/tracker-statuses.json');
  const first = structuredClone([...db.advisories]);
  await load(db, 'happy/tracker-statuses.json');
  assert.deepEqual([...db.advisories], first);
  await load(db, 'happy/tracker-smaller.json');
  assert.deepEqual([...db.advisories.keys()], ['debian-tracker\u0000CVE-2023-38545']);
  assert.deepEqual(db.affected('Debian:12', 'nghttp2'), []);
});

test('wrong shapes are reported with package, id and release; good records still land', async () => {
  const db = new MemoryDb();
  const name = 'sad/tracker-wrong-shapes.json';
  const { stats, issues } = await load(db, name);
  const seen = issues.map((i) => [i.file, i.record, i.message]);
  assert.deepEqual(seen, [
    [name, 'openssl/CVE-2024-0727/lenny', 'unknown Debian release "lenny"'],
    [name, 'openssl/CVE-2024-0727/woody', 'unknown Debian release "woody"'],
    [name, 'openssl/CVE-2024-0727/bullseye', 'fixed_version "1.1.1w 0+deb11u2" is not a Debian version'],
    [name, 'openssl/CVE-2024-0727/buster', '"status" is missing'],
    [name, 'openssl/CVE-2024-0727/sid', 'unknown status "fixed"'],
    [name, 'openssl/CVE-2024-0727/trixie', 'resolved without a "fixed_version"'],
    [name, 'openssl/CVE-2024-5535', '"releases" is a string, not an object'],
    [name, 'openssl/CVE-2024-9143', 'expected an object, found an array'],
    [name, 'openssl/DSA-5764-1', 'not a CVE or TEMP id'],
    [name, 'openssl/CVE-2023-5678/bookworm', 'expected an object, found a number'],
    [name, 'zlib', 'expected an object of CVE entries, found an array'],
    [name, 'expat', issues[11]?.message ?? ''],
  ]);
  assert.match(issues[11]?.message ?? '', /^invalid JSON at byte \d+: /);
  // `lenny` again under libxml2 is not reported twice.
  assert.equal(stats.skipped, issues.length);
  assert.deepEqual(
    db.affected('Debian:12', 'openssl').map((a) => [a.advisoryId, a.fixed]),
    [['CVE-2024-0727', '3.0.13-1~deb12u1']],
  );
  assert.deepEqual(
    db.affected('Debian:sid', 'openssl').map((a) => a.advisoryId),
    ['CVE-2023-5678'],
  );
  assert.equal(db.affected('Debian:12', 'libxml2').length, 1);
  // The member after the one with invalid JSON is read: the splitter resynchronised.
  assert.equal(db.affected('Debian:sid', 'xz-utils')[0]?.fixed, '5.6.1+really5.4.5-1');
});

test('invalid UTF-8 skips the CVE holding it, not its package', async () => {
  const db = new MemoryDb();
  const { issues } = await load(db, 'sad/tracker-invalid-utf8.json');
  assert.deepEqual(issues, [
    {
      file: 'sad/tracker-invalid-utf8.json',
      record: 'glib2.0/CVE-2024-0002',
      message: 'invalid UTF-8 in the entry',
    },
  ]);
  assert.deepEqual(
    db.affected('Debian:sid', 'glib2.0').map((a) => a.advisoryId),
    ['CVE-2024-0001'],
  );
});

test('a member over the record limit is reported by name and skipped; the others land', async () => {
  const db = new MemoryDb();
  const { issues } = await load(db, 'happy/tracker-statuses.json', 900);
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.record, 'curl');
  assert.match(issues[0]?.message ?? '', /^\d+ bytes of JSON at byte 1, over the 900-byte record limit$/);
  assert.equal(db.affected('Debian:12', 'curl').length, 0);
  assert.equal(db.affected('Debian:12', 'nghttp2').length, 1);
  assert.equal(db.affected('Debian:12', 'golang-1.19').length, 1);
});

test('a truncated file, unbalanced brackets or a non-object throw invalid-input naming the byte', async () => {
  const cases: [string, RegExp][] = [
    [
      'sad/tracker-truncated.json',
      /truncated JSON at byte 2600: inside member "apparmor" \(starting at byte 4\)/,
    ],
    ['sad/tracker-unbalanced.json', /invalid JSON at byte 65: unbalanced "\]"/],
    ['sad/tracker-not-an-object.json', /invalid JSON at byte 0: expected a JSON object/],
  ];
  for (const [name, message] of cases) {
    await assert.rejects(
      importer.import(data(name), new MemoryDb(), context(name).ctx),
      (err) => isAssayError(err, 'invalid-input') && message.test(err.message),
      name,
    );
  }
});

test('a truncated gzip file throws invalid-input', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'assay-debian-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'json.gz');
  const members = Array.from({ length: 20_000 }, (_, i) => `"p${i}": {}`);
  const gz = gzipSync(`{${members.join(', ')}}`);
  await writeFile(path, gz.subarray(0, gz.length - 40));
  await assert.rejects(
    importer.import(path, new MemoryDb(), context('json.gz').ctx),
    (err) => isAssayError(err, 'invalid-input') && /json\.gz: truncated gzip stream/.test(err.message),
  );
});

test('an aborted import throws aborted; a missing file throws not-found', async () => {
  const ctx = { ...context('x').ctx, signal: AbortSignal.abort() };
  await assert.rejects(importer.import(data('happy/tracker-excerpt.json'), new MemoryDb(), ctx), (err) =>
    isAssayError(err, 'aborted'),
  );
  await assert.rejects(importer.import(data('happy/none.json'), new MemoryDb(), context('none').ctx), (err) =>
    isAssayError(err, 'not-found'),
  );
});

test('detect: the tracker head, not other JSON', () => {
  const head = '{"0ad": {"CVE-2017-7222": {"description": "x", "releases": {"sid": {}}}}}';
  assert.equal(importer.detect(head), true);
  assert.equal(importer.detect('{\n  "apparmor": {\n    "TEMP-0000000-1A2B3C": {\n "releases": {}'), true);
  assert.equal(importer.detect('{"id": "GHSA-xxxx", "affected": []}'), false);
  assert.equal(importer.detect('{"title": "CISA", "vulnerabilities": [{"cveID": "CVE-1"}]}'), false);
  assert.equal(importer.detect('{"bash": {"CVE-2014-6271": {"scope": "remote"'), false);
});
