import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { DB_SCHEMA_VERSION } from '../types.js';
import { buildPublishedMetadata, parsePublishedMetadata, serializeMetadata } from './metadata.js';
import { published } from './testdata/helpers.js';
import { DB_METADATA_MEDIA_TYPE, MAX_METADATA_BYTES } from './types.js';

const SHA = 'a'.repeat(64);
const exported = {
  schemaVersion: DB_SCHEMA_VERSION,
  builtAt: '2026-11-30T04:00:00.000Z',
  sha256: SHA,
  sources: [
    {
      id: 'nvd',
      importer: 'nvd',
      records: 5,
      importedAt: '2026-11-30T03:00:00Z',
      url: 'http://internal/',
      etag: '"x"',
    },
    { id: 'epss', importer: 'epss', records: 9, importedAt: '2026-11-30T02:00:00Z', dataDate: '2026-11-29' },
  ],
};
const bundle = { file: 'assay-db.tar.gz', digest: `sha256:${'b'.repeat(64)}`, size: 1234 };

test('metadata lists sources by id with counts and dates, without feed URLs or validators', () => {
  const m = buildPublishedMetadata(exported, bundle);
  assert.equal(m.mediaType, DB_METADATA_MEDIA_TYPE);
  assert.equal(m.dbSha256, SHA);
  assert.deepEqual(m.bundle, { ...bundle, compression: 'gzip' });
  assert.deepEqual(m.sources, [
    { id: 'epss', importer: 'epss', records: 9, importedAt: '2026-11-30T02:00:00Z', dataDate: '2026-11-29' },
    { id: 'nvd', importer: 'nvd', records: 5, importedAt: '2026-11-30T03:00:00Z' },
  ]);
});

test('serialization is deterministic whatever the key order of the input, and round-trips', () => {
  const a = buildPublishedMetadata(exported, bundle);
  const shuffled = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
  assert.notEqual(JSON.stringify(shuffled), JSON.stringify(a));
  assert.deepEqual(serializeMetadata(shuffled), serializeMetadata(a));
  const bytes = serializeMetadata(a);
  assert.ok(bytes.toString().endsWith('}\n'));
  assert.deepEqual(parsePublishedMetadata(bytes, 'here'), a);
});

test('the same DB published twice gives the same metadata bytes', async (t) => {
  const one = await published(t);
  const two = await published(t);
  assert.deepEqual(one.metadataBytes, two.metadataBytes);
  assert.ok(one.metadata.sources.length >= 4, 'every feed fixture is a source');
});

function rejects(bytes: Buffer, code: string, pattern: RegExp) {
  assert.throws(
    () => parsePublishedMetadata(bytes, 'http://mirror/db/metadata.json'),
    (err) => isAssayError(err) && err.code === code && pattern.test(err.message),
  );
}

test('a newer schema says upgrade assay, an older one says the publisher must upgrade', () => {
  const m = buildPublishedMetadata(exported, bundle);
  const newer = Buffer.from(
    JSON.stringify({ ...m, schemaVersion: DB_SCHEMA_VERSION + 1, bundle: 'other shape' }),
  );
  rejects(
    newer,
    'database',
    new RegExp(
      `^http://mirror/db/metadata.json: .*published with DB schema ${DB_SCHEMA_VERSION + 1}; this assay reads schema ${DB_SCHEMA_VERSION}: upgrade assay$`,
    ),
  );
  const older = Buffer.from(JSON.stringify({ ...m, schemaVersion: 0 }));
  rejects(older, 'database', /DB schema 0; this assay reads schema \d+: the publisher runs an older assay/);
});

test('not JSON, the wrong shape and an oversized document are refused naming the source', () => {
  rejects(Buffer.from('<html>'), 'invalid-input', /metadata.json: the DB metadata is not JSON/);
  rejects(
    Buffer.from(`{"schemaVersion":${DB_SCHEMA_VERSION}}`),
    'invalid-input',
    /not an assay DB metadata document/,
  );
  const m = buildPublishedMetadata(exported, bundle);
  rejects(Buffer.from(JSON.stringify({ ...m, dbSha256: 'xyz' })), 'invalid-input', /dbSha256/);
  rejects(Buffer.alloc(MAX_METADATA_BYTES + 1, 32), 'too-large', /more than the/);
});
