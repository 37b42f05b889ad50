/**
 * Pages of a Berkeley DB hash database (dbinc/db_page.h): a 26-byte header {lsn, pgno,
 * prev_pgno, next_pgno, entries, hf_offset, level, type}; on hash pages an array of `entries`
 * 16-bit item offsets follows, items packed from the end of the page, key and data items
 * alternating; overflow pages carry `hf_offset` bytes of one long item after the header and
 * chain through `next_pgno`.
 *
 * Every page is claimed once per scan: a chain that comes back to a page it (or another
 * chain) already used is a loop, reported and cut, so no hostile file can make a walk run
 * longer than the file has pages.
 */
import type { HashMeta } from './bdb-meta.js';
import { Bytes } from './bytes.js';
import { hex, RpmDbFormatError } from './problems.js';

export const PAGE_HEADER_SIZE = 26;
export const P_HASH_UNSORTED = 2;
export const P_OVERFLOW = 7;
export const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const OFFPAGE_SIZE = 12;

export interface Page {
  number: number;
  /** File offset of the page. */
  offset: number;
  /** The page's bytes, in the database's byte order. */
  bytes: Bytes;
  next: number;
  entries: number;
  /** hf_offset: the first used byte on a hash page, the data length on an overflow page. */
  hfOffset: number;
  type: number;
}

export class PageReader {
  private readonly claimed: Uint8Array;

  constructor(readonly meta: HashMeta) {
    this.claimed = new Uint8Array(meta.pagesInFile);
  }

  /** Reads page `number` for `purpose`, which must not have been read before in this scan. */
  claim(number: number, purpose: string): Page {
    const { meta } = this;
    const offset = number * meta.pageSize;
    const fail = (code: 'corrupt-database' | 'truncated-file', reason: string): never => {
      throw new RpmDbFormatError(code, `${purpose}: page ${number}: ${reason}`, offset);
    };
    if (number === 0) fail('corrupt-database', 'points back at the metadata page');
    if (number >= meta.pagesInFile)
      fail('truncated-file', `past the end of the file (${meta.pagesInFile} pages)`);
    if (this.claimed[number] !== 0)
      fail('corrupt-database', 'reached a second time (a loop in the page chain)');
    this.claimed[number] = 1;
    const bytes = meta.bytes;
    const view = new Bytes(bytes.view(offset, meta.pageSize, 'page'), bytes.endian, offset, `page ${number}`);
    const stored = view.u32(8, 'page number');
    if (stored !== number) {
      const zero = view.buf.every((b) => b === 0);
      fail('corrupt-database', zero ? 'zero-filled (never written)' : `header says it is page ${stored}`);
    }
    return {
      number,
      offset,
      bytes: view,
      next: view.u32(16, 'next page number'),
      entries: view.u16(20, 'item count'),
      hfOffset: view.u16(22, 'high free offset'),
      type: view.u8(25, 'page type'),
    };
  }

  /** Offsets of the items on a hash page, each with its length (items end where the previous begins). */
  items(page: Page): Array<{ offset: number; length: number }> {
    const { pageSize } = this.meta;
    const indexEnd = PAGE_HEADER_SIZE + 2 * page.entries;
    if (indexEnd > pageSize) {
      throw new RpmDbFormatError(
        'corrupt-database',
        `page ${page.number}: ${page.entries} items cannot fit in a ${pageSize}-byte page`,
        page.offset + 20,
      );
    }
    const items: Array<{ offset: number; length: number }> = [];
    let end = pageSize;
    for (let i = 0; i < page.entries; i++) {
      const offset = page.bytes.u16(PAGE_HEADER_SIZE + 2 * i, 'item offset');
      if (offset < indexEnd || offset >= end) {
        throw new RpmDbFormatError(
          'corrupt-database',
          `page ${page.number}: item ${i} at offset ${offset} is outside ${indexEnd}..${end}`,
          page.offset + PAGE_HEADER_SIZE + 2 * i,
        );
      }
      items.push({ offset, length: end - offset });
      end = offset;
    }
    return items;
  }

  /** The bytes of a key or data item: inline (H_KEYDATA) or gathered from overflow pages (H_OFFPAGE). */
  itemBytes(page: Page, item: { offset: number; length: number }): { bytes: Buffer; offset: number } {
    const type = page.bytes.u8(item.offset, 'item type');
    if (type === H_KEYDATA) {
      return {
        bytes: page.bytes.view(item.offset + 1, item.length - 1, 'item'),
        offset: page.offset + item.offset + 1,
      };
    }
    if (type === H_OFFPAGE && item.length >= OFFPAGE_SIZE) {
      const first = page.bytes.u32(item.offset + 4, 'overflow page number');
      const total = page.bytes.u32(item.offset + 8, 'overflow length');
      return {
        bytes: this.overflow(first, total, `item at offset ${hex(page.offset + item.offset)}`),
        offset: first * this.meta.pageSize,
      };
    }
    throw new RpmDbFormatError(
      'corrupt-database',
      `page ${page.number}: item type ${type} of ${item.length} bytes (rpm stores only key/data and overflow items)`,
      page.offset + item.offset,
    );
  }

  /** Gathers `total` bytes along an overflow chain starting at page `first`. */
  private overflow(first: number, total: number, owner: string): Buffer {
    const { pageSize, bytes } = this.meta;
    // A value cannot be larger than the file that holds it: no allocation from a hostile length.
    if (total === 0 || total > bytes.length) {
      throw new RpmDbFormatError(
        'corrupt-database',
        `${owner}: overflow item of ${total} bytes in a ${bytes.length}-byte file`,
      );
    }
    const out = Buffer.alloc(total);
    let filled = 0;
    let number = first;
    while (filled < total) {
      if (number === 0) {
        throw new RpmDbFormatError(
          'truncated-file',
          `${owner}: overflow chain ends after ${filled} of ${total} bytes`,
        );
      }
      const page = this.claim(number, `${owner}: overflow chain`);
      const length = page.hfOffset;
      if (
        page.type !== P_OVERFLOW ||
        length === 0 ||
        PAGE_HEADER_SIZE + length > pageSize ||
        length > total - filled
      ) {
        throw new RpmDbFormatError(
          'corrupt-database',
          `${owner}: overflow page ${number} has type ${page.type} and ${length} bytes (${total - filled} still expected)`,
          page.offset,
        );
      }
      page.bytes.buf.copy(out, filled, PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + length);
      filled += length;
      number = page.next;
    }
    return out;
  }
}
