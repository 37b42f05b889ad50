import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { isAssayError } from '../model/errors.js';
import type { OsvRange } from '../versioning/osv-range.js';
import { buildDb } from './build.js';
import type { AdvisorySink } from './importer.js';
import { flatRanges, parseRanges } from './packed-entries.js';
import { dbFilePath, VulnDb } from './store.js';
import { scriptedImporter } from './testing/scripted-importer.js';
import type { AdvisoryRecord, AffectedRecord } from './types.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-packed-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const fixedAt = (v: string): OsvRange[] => [
  { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: v }] },
];

function entry(name: string, over: Partial<AffectedRecord> = {}): AffectedRecord {
  return {
    ecosystem: 'npm',
    package: name,
    status: 'fixed',
    ranges: fixedAt('1.0.0'),
    versions: [],
    ...over,
  };
}

function adv(id: string, affected: AffectedRecord[], over: Partial<AdvisoryRecord> = {}): AdvisoryRecord {
  return { feed: 'osv', id, aliases: [], references: [], cvss: [], affected, ...over };
}

test('ranges round-trip through the flat encoding, odd shapes stored as they are', () => {
  const ranges: OsvRange[] = [
    { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.3' }] },
    { type: 'SEMVER', events: [{ introduced: '2.0.0' }, { last_affected: '2.1.0' }, { limit: '3' }] },
    { type: 'ECOSYSTEM', events: [] },
    // Not flattened: a repo, an event with two keys, an unknown event kind.
    { type: 'GIT', repo: 'https://example.test/r.git', events: [{ introduced: 'abc' }] },
    { type: 'ECOSYSTEM', events: [{ introduced: '1', fixed: '2' }] },
    { type: 'ECOSYSTEM', events: [{ introduced: '1' }, { other: '2' } as never] },
  ];
  const text = flatRanges(ranges);
  assert.equal(text.slice(0, 36), '[["ECOSYSTEM",0,"0",1,"1.2.3"],["SEM');
  assert.deepEqual(parseRanges(text), ranges);
  assert.deepEqual(parseRanges(flatRanges([])), []);
});

test('packages follow every write: replacement, snapshot, merge, rollback, and reads mid-import', async (t) => {
  const dir = await tempDir(t);
  await buildDb(dir, async (b) => {
    await b.importWith(
      scriptedImporter([
        { snapshot: 'osv:npm' },
        { advisory: adv('A-1', [entry('left-pad'), entry('lodash', { purl: 'pkg:npm/lodash' })]) },
        { advisory: adv('A-2', [entry('lodash', { status: 'affected', versions: ['0.1.0'] })]) },
        { advisory: adv('A-2', [entry('chalk', { vendorSeverity: 'HIGH', fixed: '1.0.0' })]) },
      ]),
      'first',
    );
    assert.deepEqual(
      b
        .reader()
        .affected('npm', 'lodash')
        .map((e) => [e.advisoryId, e.status, e.versions, e.purl]),
      [
        ['A-1', 'fixed', [], 'pkg:npm/lodash'],
        ['A-2', 'affected', ['0.1.0'], undefined],
      ],
    );
    assert.deepEqual(b.reader().affected('npm', 'chalk')[0]?.vendorSeverity, 'HIGH');
    // A later import replaces A-1 (lodash entry gone) and snapshots nothing else.
    const seen: string[][] = [];
    await b.importWith(
      {
        id: 'osv',
        version: 1,
        detect: () => false,
        import: async (_path: string, sink: AdvisorySink) => {
          sink.putAdvisory(adv('A-1', [entry('left-pad', { ranges: fixedAt('2.0.0') })]));
          // The builder's reader sees the import in progress.
          seen.push(
            b
              .reader()
              .affected('npm', 'lodash')
              .map((e) => e.advisoryId),
          );
          seen.push([...b.reader().ecosystems()]);
          return { records: 1, skipped: 0 };
        },
      },
      'second',
    );
    assert.deepEqual(seen, [['A-2'], ['npm']]);
    assert.deepEqual(b.reader().affected('npm', 'left-pad')[0]?.ranges, fixedAt('2.0.0'));
    // A failed import leaves the packages as they were.
    await assert.rejects(
      b.importWith(
        scriptedImporter([
          { snapshot: 'osv:npm' },
          { advisory: adv('A-9', [entry('new')]) },
          { fail: 'cut' },
        ]),
        'bad',
      ),
    );
    assert.equal(b.reader().affected('npm', 'lodash').length, 1);
    assert.equal(b.reader().affected('npm', 'new').length, 0);
  });
  const db = VulnDb.open(dir);
  assert.deepEqual(db.ecosystems(), ['npm']);
  assert.equal(db.ecosystems(), db.ecosystems(), 'computed once per open DB');
  db.close();
  // The npm snapshot removes what the first import wrote under it (A-2; A-1 was rewritten by the
  // unscoped second import): no package row is left behind, none is lost.
  await buildDb(dir, (b) => b.importWith(scriptedImporter([{ snapshot: 'osv:npm' }]), 'third'));
  const raw = new Database(dbFilePath(dir), { readonly: true });
  t.after(() => raw.close());
  assert.deepEqual(raw.prepare('SELECT package FROM packages').pluck().all(), ['left-pad']);
  const after = VulnDb.open(dir);
  t.after(() => after.close());
  assert.deepEqual(after.affected('npm', 'lodash'), []);
  assert.deepEqual(after.affected('npm', 'chalk'), []);
  assert.deepEqual(
    after.affected('npm', 'left-pad').map((e) => e.advisoryId),
    ['A-1'],
  );
});

test('a DB without the packages table (an older development build) is refused, then rebuilt', async (t) => {
  const dir = await tempDir(t);
  await buildDb(dir, (b) => b.importWith(scriptedImporter([{ advisory: adv('A-1', [entry('x')]) }]), 'one'));
  const raw = new Database(dbFilePath(dir));
  raw.exec('DROP TABLE packages');
  raw.close();
  assert.throws(
    () => VulnDb.open(dir),
    (err: unknown) => isAssayError(err, 'database') && /lacks the table\(s\) packages/.test(err.message),
  );
  await buildDb(dir, async (b) => assert.equal(b.startedFrom, 'replaced-unusable'));
  VulnDb.open(dir).close();
});
