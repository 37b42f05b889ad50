/**
 * Shared helpers for the rpm-db tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): the committed real fixtures, and a writer of rpm header blobs laid out the way
 * rpm's headerExport does (immutable region first, its trailer after the region's data,
 * "dribble" entries after that), so tests can build exactly the header they need.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { RpmPackageRecord } from './record.js';
import { fixedTypeSize, RpmTag, RpmType } from './tags.js';

const testdata = new URL('./testdata/', import.meta.url);

export function fixture(name: string): Buffer {
  const bytes = readFileSync(new URL(name, testdata));
  return name.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}

/** The committed real databases: rpm-built SQLite, syft's BerkeleyDB, snyk's SUSE NDB. */
export const fixtures = {
  sqlite: () => fixture('rpmdb.sqlite.gz'),
  bdb: () => fixture('bdb-dive-Packages'),
  ndb: () => fixture('ndb-sles-Packages.db'),
};

export interface Field {
  tag: number;
  type: number;
  count: number;
  data: Buffer;
}

export const str = (tag: number, value: string, encoding: BufferEncoding = 'utf8'): Field => ({
  tag,
  type: RpmType.STRING,
  count: 1,
  data: Buffer.concat([Buffer.from(value, encoding), Buffer.alloc(1)]),
});

export const strings = (tag: number, type: number, values: string[]): Field => ({
  tag,
  type,
  count: values.length,
  data: Buffer.concat(values.map((v) => Buffer.from(`${v}\u0000`))),
});

export function int32(tag: number, ...values: number[]): Field {
  const data = Buffer.alloc(4 * values.length);
  for (const [i, v] of values.entries()) data.writeUInt32BE(v, 4 * i);
  return { tag, type: RpmType.INT32, count: values.length, data };
}

export function int64(tag: number, value: bigint): Field {
  const data = Buffer.alloc(8);
  data.writeBigUInt64BE(value);
  return { tag, type: RpmType.INT64, count: 1, data };
}

export interface HeaderOptions {
  /** Wrap `fields` in an immutable region (default true; false = a legacy v3 header). */
  region?: boolean;
  /** Entries after the region, as rpm adds at install time. */
  dribbles?: Field[];
  /** Prefix the 8-byte header magic, as in an .rpm file. */
  magic?: boolean;
}

const REGION_TAG = 63;

export function buildHeader(fields: Field[], opts: HeaderOptions = {}): Buffer {
  const region = opts.region ?? true;
  const dribbles = opts.dribbles ?? [];
  const index: Buffer[] = [];
  let store = Buffer.alloc(0);
  const place = (field: Field): void => {
    const align = fixedTypeSize[field.type] ?? 1;
    const pad = (align - (store.length % align)) % align;
    store = Buffer.concat([store, Buffer.alloc(pad)]);
    index.push(entry(field.tag, field.type, store.length, field.count));
    store = Buffer.concat([store, field.data]);
  };
  for (const field of fields) place(field);
  if (region) {
    const trailer = entry(REGION_TAG, RpmType.BIN, -(fields.length + 1) * 16, 16);
    index.unshift(entry(REGION_TAG, RpmType.BIN, store.length, 16));
    store = Buffer.concat([store, trailer]);
  }
  for (const field of dribbles) place(field);
  const intro = Buffer.alloc(8);
  intro.writeUInt32BE(index.length, 0);
  intro.writeUInt32BE(store.length, 4);
  const magic = opts.magic ? [Buffer.from([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0])] : [];
  return Buffer.concat([...magic, intro, ...index, store]);
}

function entry(tag: number, type: number, offset: number, count: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeUInt32BE(tag, 0);
  out.writeUInt32BE(type, 4);
  out.writeInt32BE(offset, 8);
  out.writeUInt32BE(count, 12);
  return out;
}

/** The header of a package with these fields, as rpm would store it. */
export function packageHeader(record: Omit<RpmPackageRecord, 'key'>, opts: HeaderOptions = {}): Buffer {
  const fields: Field[] = [
    str(RpmTag.NAME, record.name),
    str(RpmTag.VERSION, record.version),
    str(RpmTag.RELEASE, record.release),
  ];
  if (record.epoch !== undefined) fields.push(int32(RpmTag.EPOCH, record.epoch));
  if (record.size !== undefined) fields.push(int32(RpmTag.SIZE, record.size));
  if (record.vendor !== undefined) fields.push(str(RpmTag.VENDOR, record.vendor));
  if (record.license !== undefined) fields.push(str(RpmTag.LICENSE, record.license));
  if (record.arch !== undefined) fields.push(str(RpmTag.ARCH, record.arch));
  if (record.sourceRpm !== undefined) fields.push(str(RpmTag.SOURCERPM, record.sourceRpm));
  if (record.modularityLabel !== undefined) fields.push(str(RpmTag.MODULARITYLABEL, record.modularityLabel));
  return buildHeader(fields, opts);
}

/** A small deterministic PRNG (mulberry32), so fuzz failures reproduce from the seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
