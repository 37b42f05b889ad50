/**
 * `assay db import` and `db status` with deny-lists, through the real entry point: a bad list
 * fails its own path (exit 2) and the others land; `--format threat-hashes` takes any file name.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runAssay } from '../../../cli/testing/run-cli.js';
import { VulnDb } from '../../store.js';

const data = (name: string) => new URL(`testdata/${name}`, import.meta.url).pathname;
const hash = (s: string) => createHash('sha256').update(s).digest('hex');

const rowsOf = (table: string) =>
  table
    .trim()
    .split('\n')
    .map((l) => l.split(/\s{2,}/));

test('db import: lists land as sources, a malformed list fails alone (exit 2); db status lists them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'assay-threat-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const db = join(dir, 'db');
  const env = { HOME: dir };
  const run = await runAssay(
    ['db', 'import', '-p', db, data('sha256sum.txt'), data('bad-line.txt'), data('bazaar-style.csv')],
    env,
  );
  assert.equal(run.code, 2, run.stderr);
  assert.deepEqual(
    rowsOf(run.stdout).map((r) => r.slice(1)),
    [
      ['IMPORTER', 'RECORDS', 'SKIPPED', 'SOURCE'],
      ['threat-hashes', '3', '0', 'threat-hashes:sha256sum.txt'],
      [
        'FAILED',
        '-',
        '-',
        `${data('bad-line.txt')} (threat-hashes): threat hash list ${data('bad-line.txt')} line 3: expected a SHA-256 (64 hex digits), got 40 hex digits (a SHA-1?) (11f6ad8ec52a2984abaafd7c3b516503785c2072 second)`,
      ],
      ['threat-hashes', '3', '0', 'threat-hashes:bazaar-style.csv'],
    ],
  );
  assert.match(
    run.stderr,
    /assay: .*bad-line\.txt \(threat-hashes\): threat hash list .*bad-line\.txt line 3: /,
  );

  const forced = join(dir, 'extra.list');
  await writeFile(forced, `${hash('forced')} forced entry\n`);
  const refused = await runAssay(['db', 'import', '-p', db, forced], env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /extra\.list: not a known feed format/);
  const taken = await runAssay(['db', 'import', '-p', db, '--format', 'threat-hashes', forced], env);
  assert.equal(taken.code, 0, taken.stderr);

  const status = await runAssay(['db', 'status', '-p', db], env);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /\nthreat-hashes:bazaar-style\.csv\s+threat-hashes\s+3\s+0\s/);
  assert.match(status.stdout, /\nthreat-hashes:extra\.list\s+threat-hashes\s+1\s+0\s/);
  assert.match(status.stdout, /\nthreat-hashes:sha256sum\.txt\s+threat-hashes\s+3\s+0\s/);
  assert.doesNotMatch(status.stdout, /bad-line/);
  const reader = VulnDb.open(db);
  t.after(() => reader.close());
  assert.deepEqual(reader.threatHash(hash('forced')), {
    name: 'forced entry',
    source: 'db:threat-hashes:extra.list',
  });
  assert.equal(reader.threatHashCount(), 6);
});
