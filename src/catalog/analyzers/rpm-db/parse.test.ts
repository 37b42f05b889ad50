import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanBdb } from './bdb.js';
import { scanNdb } from './ndb.js';
import { parseRpmDb, rpmDbFormatOf } from './parse.js';
import type { RpmPackageRecord } from './record.js';
import { scanSqlite } from './sqlite.js';
import { fixtures, packageHeader } from './testkit.test.js';
import { buildBdb } from './testkit-bdb.test.js';
import { buildNdb } from './testkit-ndb.test.js';

const beta = {
  epoch: 2,
  version: '3.4.5',
  release: '6.el9',
  arch: 'x86_64',
  sourceRpm: 'assay-beta-3.4.5-6.el9.src.rpm',
  license: 'GPL-2.0-or-later AND (MIT OR Apache-2.0)',
  vendor: 'Ästhetik GmbH',
  size: 0,
  modularityLabel: 'perl:5.30:8030020200728104009:466ea64f',
};

/** What `rpm -qa` prints for testdata/rpmdb.sqlite.gz (built by rpm 4.18 from testdata/specs). */
const sqliteRecords: RpmPackageRecord[] = [
  { key: 1, name: 'assay-beta-libs', ...beta },
  { key: 2, name: 'assay-beta', ...beta },
  {
    key: 3,
    name: 'assay-alpha',
    version: '1.0',
    release: '1',
    arch: 'noarch',
    sourceRpm: 'assay-alpha-1.0-1.src.rpm',
    license: 'MIT',
    vendor: 'Assay Test',
    size: 0,
  },
];

const suse = 'SUSE LLC <https://www.suse.com/>';
/** snyk-docker-plugin's SUSE Packages.db, contents as its SOURCES.md entry documents them. */
const ndbRecords: RpmPackageRecord[] = [
  {
    key: 1,
    name: 'system-user-root',
    version: '20190513',
    release: '3.3.1',
    arch: 'noarch',
    sourceRpm: 'system-user-root-20190513-3.3.1.src.rpm',
    license: 'MIT',
    vendor: suse,
    size: 186,
  },
  {
    key: 2,
    name: 'filesystem',
    version: '15.0',
    release: '11.8.1',
    arch: 'x86_64',
    sourceRpm: 'filesystem-15.0-11.8.1.src.rpm',
    license: 'MIT',
    vendor: suse,
    size: 535,
  },
  {
    key: 3,
    name: 'glibc',
    version: '2.31',
    release: '150300.63.1',
    arch: 'x86_64',
    sourceRpm: 'glibc-2.31-150300.63.1.src.rpm',
    license: 'LGPL-2.1-or-later AND LGPL-2.1-or-later WITH GCC-exception-2.0 AND GPL-2.0-or-later',
    vendor: suse,
    size: 6462759,
  },
];

/** syft's BerkeleyDB Packages (one package, key 0 = next instance). */
const bdbRecords: RpmPackageRecord[] = [
  {
    key: 1,
    name: 'dive',
    version: '0.9.2',
    release: '1',
    arch: 'x86_64',
    sourceRpm: 'dive-0.9.2-1.src.rpm',
    license: 'MIT',
    vendor: '',
    size: 12406784,
  },
];

describe('the three real rpmdb formats', () => {
  test('SQLite (rpm 4.18, WAL mode): every record, no problems', () => {
    assert.deepEqual(parseRpmDb('sqlite', fixtures.sqlite()), {
      format: 'sqlite',
      records: sqliteRecords,
      problems: [],
    });
  });

  test('NDB (SUSE): every record, checksums verified', () => {
    assert.deepEqual(parseRpmDb('ndb', fixtures.ndb()), { format: 'ndb', records: ndbRecords, problems: [] });
  });

  test('BerkeleyDB hash (overflow pages): the package, not the next-instance record', () => {
    assert.deepEqual(parseRpmDb('bdb', fixtures.bdb()), { format: 'bdb', records: bdbRecords, problems: [] });
  });

  test('file names select the format', () => {
    assert.equal(rpmDbFormatOf('var/lib/rpm/rpmdb.sqlite'), 'sqlite');
    assert.equal(rpmDbFormatOf('usr/lib/sysimage/rpm/Packages.db'), 'ndb');
    assert.equal(rpmDbFormatOf('var/lib/rpm/Packages'), 'bdb');
    assert.equal(rpmDbFormatOf('var/lib/rpm/Name'), undefined);
  });
});

/** The real headers of all three fixtures, to rebuild in other containers. */
function realBlobs(): Array<{ key: number; bytes: Buffer }> {
  return [
    ...scanSqlite(fixtures.sqlite()).blobs,
    ...scanNdb(fixtures.ndb()).blobs.map((b) => ({ ...b, key: b.key + 10 })),
    ...scanBdb(fixtures.bdb()).blobs.map((b) => ({ ...b, key: b.key + 20 })),
    ...Array.from({ length: 40 }, (_, i) => ({
      key: 100 + i,
      bytes: packageHeader({ name: `small${i}`, version: '1', release: '1' }),
    })),
  ];
}

const names = [
  ...['assay-beta-libs', 'assay-beta', 'assay-alpha', 'system-user-root', 'filesystem', 'glibc', 'dive'],
  ...Array.from({ length: 40 }, (_, i) => `small${i}`),
];

describe('real headers in generated containers', () => {
  for (const [label, opts] of [
    ['little-endian, 4 KiB pages, values on overflow pages', { endian: 'le', pageSize: 4096 }],
    ['big-endian (s390x, ppc64)', { endian: 'be', pageSize: 4096 }],
    ['512-byte pages: chained hash pages and long overflow chains', { endian: 'le', pageSize: 512 }],
    ['32 KiB pages: values inline on the hash page', { endian: 'le', pageSize: 32768 }],
  ] as const) {
    test(`BerkeleyDB, ${label}`, () => {
      const layout = buildBdb(
        realBlobs().map((b) => ({ key: b.key, value: b.bytes })),
        opts,
      );
      const parsed = parseRpmDb('bdb', layout.file);
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(
        parsed.records.map((r) => r.name),
        names,
      );
      // The layout really exercises the path the label names.
      if (opts.pageSize === 512) assert.ok(layout.hashPages.length > 1 && layout.overflowPages.length > 100);
      if (opts.pageSize === 32768) assert.ok(layout.inlineValues >= 6);
    });
  }

  test('NDB with several slot pages and a hundred packages', () => {
    const header = (i: number) =>
      packageHeader({ name: `pkg${i}`, version: '1', release: `${i}`, arch: 'noarch' });
    const layout = buildNdb(
      Array.from({ length: 100 }, (_, i) => ({ pkgIndex: i + 1, blob: header(i) })),
      3,
    );
    const parsed = parseRpmDb('ndb', layout.file);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.records.length, 100);
    assert.deepEqual(parsed.records[99], {
      key: 100,
      name: 'pkg99',
      version: '1',
      release: '99',
      arch: 'noarch',
    });
  });
});
