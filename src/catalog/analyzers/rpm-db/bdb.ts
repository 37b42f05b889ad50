/**
 * rpm's BerkeleyDB `Packages` database: a Berkeley DB hash table whose keys are 4-byte header
 * instance numbers and whose values are header blobs. Read the way rpm's read-only backend
 * (lib/backend/bdb_ro.c, `hash_next`) iterates it: every bucket from 0 to `max_bucket`, each
 * bucket's chain of hash pages, each page's key/data pairs. Key 0 is not a package: rpm keeps
 * the next free instance number under it.
 */

import { bucketPage, type HashMeta, readHashMeta } from './bdb-meta.js';
import { P_HASH, P_HASH_UNSORTED, type Page, PageReader } from './bdb-page.js';
import type { BlobScan, RpmBlob } from './blob.js';
import { hex, problemFrom, RpmDbFormatError, type RpmDbProblem } from './problems.js';

const KEY_SIZE = 4;
/** rpm's bookkeeping record, not a package (lib/rpmdb.c, "next instance"). */
const NEXT_INSTANCE_KEY = 0;

export function scanBdb(file: Buffer): BlobScan {
  let meta: HashMeta;
  try {
    meta = readHashMeta(file);
  } catch (err) {
    return { blobs: [], problems: [problemFrom(err, 'BerkeleyDB metadata')] };
  }
  const problems: RpmDbProblem[] = [];
  const blobs: RpmBlob[] = [];
  const reader = new PageReader(meta);
  const last = lastBucket(meta, problems);
  for (let bucket = 0; bucket <= last; bucket++) {
    readBucket(reader, bucket, blobs, problems);
  }
  return { blobs, problems };
}

/** The buckets worth walking: each needs a page of its own, so more than the file has is corruption. */
function lastBucket(meta: HashMeta, problems: RpmDbProblem[]): number {
  if (meta.lastPage >= meta.pagesInFile) {
    problems.push({
      code: 'truncated-file',
      offset: meta.pagesInFile * meta.pageSize,
      message: `BerkeleyDB metadata declares ${meta.lastPage + 1} pages of ${meta.pageSize} bytes, the file holds ${meta.pagesInFile}`,
    });
  }
  if (meta.maxBucket < meta.pagesInFile) return meta.maxBucket;
  problems.push({
    code: 'corrupt-database',
    offset: 72,
    message: `BerkeleyDB metadata declares ${meta.maxBucket + 1} buckets, more than the ${meta.pagesInFile} pages in the file; reading the first ${meta.pagesInFile - 1}`,
  });
  return meta.pagesInFile - 2;
}

function readBucket(reader: PageReader, bucket: number, blobs: RpmBlob[], problems: RpmDbProblem[]): void {
  let number = bucketPage(reader.meta, bucket);
  try {
    while (number !== 0) {
      const page = reader.claim(number, `bucket ${bucket}`);
      if (page.type !== P_HASH && page.type !== P_HASH_UNSORTED) {
        throw new RpmDbFormatError(
          'corrupt-database',
          `bucket ${bucket}: page ${number} has type ${page.type}, not a hash page`,
          page.offset + 25,
        );
      }
      readPairs(reader, page, blobs, problems);
      number = page.next;
    }
  } catch (err) {
    // The rest of this bucket's chain is unreachable; other buckets are still read.
    problems.push(problemFrom(err, 'BerkeleyDB'));
  }
}

function readPairs(reader: PageReader, page: Page, blobs: RpmBlob[], problems: RpmDbProblem[]): void {
  const items = reader.items(page);
  if (items.length % 2 !== 0) {
    problems.push({
      code: 'corrupt-database',
      offset: page.offset + 20,
      message: `page ${page.number}: ${items.length} items, the last has no data item`,
    });
  }
  for (let i = 0; i + 1 < items.length; i += 2) {
    let key: number | undefined;
    try {
      key = readKey(reader, page, items[i]!);
      const value = reader.itemBytes(page, items[i + 1]!);
      if (key !== NEXT_INSTANCE_KEY) blobs.push({ key, offset: value.offset, bytes: value.bytes });
    } catch (err) {
      const which =
        key === undefined ? `page ${page.number} pair ${i / 2}` : `key ${key} on page ${page.number}`;
      problems.push(problemFrom(err, which, key));
    }
  }
}

function readKey(reader: PageReader, page: Page, item: { offset: number; length: number }): number {
  const { bytes, offset } = reader.itemBytes(page, item);
  if (bytes.length !== KEY_SIZE) {
    throw new RpmDbFormatError(
      'corrupt-database',
      `key at offset ${hex(offset)} has ${bytes.length} bytes, rpm's keys have ${KEY_SIZE}`,
      offset,
    );
  }
  return page.bytes.endian === 'le' ? bytes.readUInt32LE(0) : bytes.readUInt32BE(0);
}
