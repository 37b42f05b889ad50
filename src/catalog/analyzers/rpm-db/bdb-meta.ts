/**
 * The metadata page (page 0) of a Berkeley DB hash database, the `Packages` file of rpm up to
 * 4.15 (RHEL/CentOS 5–8, Amazon Linux 1 and 2, Oracle Linux 5–8, SLES 12–15 SP2). Field offsets
 * per Berkeley DB's dbinc/db_page.h (`DBMETA` then `HMETA`), the layout rpm's own read-only
 * reader (lib/backend/bdb_ro.c) relies on. Integers are in the byte order of the machine that
 * wrote the file; the magic number tells which.
 */
import { Bytes } from './bytes.js';
import { hex32, RpmDbFormatError } from './problems.js';

export const HASH_MAGIC = 0x061561;
const BTREE_MAGIC = 0x053162;
/** Hash format versions rpm's bdb_ro reads (Berkeley DB 4.x–6.x write 8 and 9). */
const MIN_VERSION = 8;
const MAX_VERSION = 10;
const MIN_PAGE_SIZE = 512;
const MAX_PAGE_SIZE = 65536;
const P_HASHMETA = 8;
/** DBMETA `metaflags` bit for per-page checksums, which move every page's item index. */
const DBMETA_CHKSUM = 0x01;
const SPARES = 32;

export interface HashMeta {
  bytes: Bytes;
  pageSize: number;
  /** Last page number the metadata declares. */
  lastPage: number;
  /** Whole pages present in the file (may be fewer than `lastPage + 1` when truncated). */
  pagesInFile: number;
  maxBucket: number;
  /** Page-number offset of each doubling of the table: bucket b is page `b + spares[bitLength(b)]`. */
  spares: readonly number[];
}

export function readHashMeta(file: Buffer): HashMeta {
  const probe = new Bytes(file, 'le');
  probe.check(0, MIN_PAGE_SIZE, 'BerkeleyDB metadata page');
  const magicLe = probe.u32(12, 'magic');
  const magicBe = file.readUInt32BE(12);
  const endian = magicLe === HASH_MAGIC ? 'le' : magicBe === HASH_MAGIC ? 'be' : undefined;
  if (endian === undefined) throw wrongMagic(magicLe, magicBe);
  const bytes = new Bytes(file, endian);
  const version = bytes.u32(16, 'hash version');
  if (version < MIN_VERSION || version > MAX_VERSION) {
    throw new RpmDbFormatError(
      'unsupported-database-format',
      `BerkeleyDB hash version ${version} (readable: ${MIN_VERSION} to ${MAX_VERSION})`,
      16,
    );
  }
  const pageSize = bytes.u32(20, 'page size');
  if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || (pageSize & (pageSize - 1)) !== 0) {
    throw new RpmDbFormatError(
      'corrupt-database',
      `BerkeleyDB page size ${pageSize} is not a power of two from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}`,
      20,
    );
  }
  checkFlags(bytes);
  const spares: number[] = [];
  for (let i = 0; i < SPARES; i++) spares.push(bytes.u32(96 + i * 4, 'spares'));
  return {
    bytes,
    pageSize,
    lastPage: bytes.u32(32, 'last page number'),
    pagesInFile: Math.floor(file.length / pageSize),
    maxBucket: bytes.u32(72, 'maximum bucket'),
    spares,
  };
}

function checkFlags(bytes: Bytes): void {
  if (bytes.u8(24, 'encryption algorithm') !== 0) {
    throw new RpmDbFormatError('unsupported-database-format', 'BerkeleyDB database is encrypted', 24);
  }
  const type = bytes.u8(25, 'page type');
  if (type !== P_HASHMETA) {
    throw new RpmDbFormatError(
      'corrupt-database',
      `BerkeleyDB metadata page has type ${type}, expected ${P_HASHMETA} (hash metadata)`,
      25,
    );
  }
  if ((bytes.u8(26, 'metadata flags') & DBMETA_CHKSUM) !== 0) {
    throw new RpmDbFormatError(
      'unsupported-database-format',
      'BerkeleyDB database with page checksums (rpm never writes them)',
      26,
    );
  }
}

function wrongMagic(le: number, be: number): RpmDbFormatError {
  if (le === BTREE_MAGIC || be === BTREE_MAGIC) {
    return new RpmDbFormatError(
      'unsupported-database-format',
      'a BerkeleyDB btree database, not the hash database rpm keeps packages in',
      12,
    );
  }
  return new RpmDbFormatError(
    'corrupt-database',
    `not a BerkeleyDB hash database: magic at offset 12 is ${hex32(le)} (read little-endian) / ${hex32(be)} (big-endian), expected ${hex32(HASH_MAGIC)}`,
    12,
  );
}

/** Berkeley DB's `BS_TO_PAGE`: ceil(log2(bucket + 1)) selects the spare, which equals bucket's bit length. */
export function bucketPage(meta: HashMeta, bucket: number): number {
  const bits = bucket === 0 ? 0 : 32 - Math.clz32(bucket);
  return bucket + (meta.spares[bits] ?? 0);
}
