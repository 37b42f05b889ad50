import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { importerForHead, readHead } from '../../detect.js';
import { importers } from '../registry.js';
import { detectThreatHashes } from './index.js';

const VULNDB = new URL('../../', import.meta.url).pathname;
const OWN = new URL('./', import.meta.url).pathname;
const HASH = createHash('sha256').update('assay-threat-fixture-a').digest('hex');

/** Every file in a `testdata` folder under src/vulndb, except this importer's own. */
function feedFixtures(dir = VULNDB, inTestdata = false): string[] {
  const out: string[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    if (d.isDirectory()) {
      if (`${path}/` !== OWN) out.push(...feedFixtures(path, inTestdata || d.name === 'testdata'));
    } else if (inTestdata) out.push(path);
  }
  return out;
}

test("the other feeds' fixtures are never claimed, and each is detected as it was without this importer", async () => {
  const others = importers.filter((i) => i.id !== 'threat-hashes');
  const fixtures = feedFixtures();
  assert.ok(fixtures.some((f) => f.endsWith('.csv')) && fixtures.some((f) => f.endsWith('.txt')));
  for (const file of fixtures) {
    const head = await readHead(file);
    const before = others.find((i) => i.detect(head.text, head.path))?.id;
    assert.equal(importerForHead(head)?.id, before, file);
  }
});

test("this importer's fixtures, plain and gzipped, are detected as threat-hashes", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'assay-threat-detect-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const gz = join(dir, 'list.sha256.gz');
  await writeFile(gz, gzipSync(`${HASH}\n`));
  for (const file of [join(OWN, 'testdata/sha256sum.txt'), join(OWN, 'testdata/bazaar-style.csv'), gz])
    assert.equal(importerForHead(await readHead(file))?.id, 'threat-hashes', file);
});

test('detection: only list file names, judged by the first line that is not blank or a comment', () => {
  const yes: Array<[string, string]> = [
    [`${HASH}\n`, 'a.txt'],
    [`${HASH}  /usr/bin/evil\n`, 'SHA256SUMS.sha256'],
    [`\uFEFF# list\n\nsha256:${HASH.toUpperCase()} Mirai\n`, 'x.hashes'],
    [`${HASH}`, 'no-newline.txt'],
    ['sha256,name\n', 'header-only.csv'],
    [`md5,sha1,sha256,name\r\nnot looked at\r\n`, 'x.csv'],
    [`# "first_seen_utc","sha256_hash","signature"\n"2026-11-01", "${HASH}", "Mirai"\n`, 'bazaar.csv'],
    [`${HASH}\n${'0'.repeat(40)} a bad line later fails the import, not detection\n`, 'x.txt.gz'],
  ];
  for (const [head, path] of yes) assert.equal(detectThreatHashes(head, path), true, `${path}: ${head}`);
  const no: Array<[string, string]> = [
    [`${HASH}\n`, 'a.json'],
    [`${HASH}\n`, 'hashes'],
    [`${HASH}\n`, 'dir.txt/'],
    ['#model_version:v2023.03.01,score_date:2024-10-25T00:00:00+0000\ncve,epss,percentile\n', 'epss.csv'],
    ['cve,epss,percentile\nCVE-1999-0005,0.9,0.99\n', 'epss.csv'],
    ['{"id": "GHSA-xxxx"}\n', 'osv.txt'],
    ['# only comments\n\n', 'empty.txt'],
    ['', 'empty.txt'],
    [`${'0'.repeat(40)} sha1\n${HASH}\n`, 'sha1-first.txt'],
    ['just some notes, not a feed\n', 'notes.txt'],
    ['md5,sha1\nabc,def\n', 'no-sha256-column.csv'],
    [`${'x'.repeat(5000)}\n`, 'giant-line.txt'],
  ];
  for (const [head, path] of no)
    assert.equal(detectThreatHashes(head, path), false, `${path}: ${head.slice(0, 80)}`);
});
