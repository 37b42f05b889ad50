/**
 * A writer of Berkeley DB hash databases shaped like rpm's `Packages` (no tests here). It puts
 * every pair in bucket 0, chaining hash pages as they fill and moving values bigger than a
 * quarter page to overflow chains, as Berkeley DB does (hash.h, `ISBIG`). Debian's rpm reads
 * the result with `--define '_db_backend bdb_ro'`, which the differential test uses to prove
 * writer and reader agree with rpm, not just with each other.
 */
import type { Endian } from './bytes.js';

const PAGE_HEADER = 26;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;

export interface BdbOptions {
  pageSize?: number;
  endian?: Endian;
  /** Write rpm's key-0 record holding the next instance number (default true). */
  nextInstance?: boolean;
}

export interface BdbLayout {
  file: Buffer;
  pageSize: number;
  /** Page numbers by role, for tests that break specific pages. */
  hashPages: number[];
  overflowPages: number[];
  /** Values small enough to sit on a hash page. */
  inlineValues: number;
}

class Writer {
  readonly pages: Buffer[] = [];
  constructor(
    readonly pageSize: number,
    readonly endian: Endian,
  ) {}

  u16(page: Buffer, at: number, v: number): void {
    if (this.endian === 'le') page.writeUInt16LE(v, at);
    else page.writeUInt16BE(v, at);
  }

  u32(page: Buffer, at: number, v: number): void {
    if (this.endian === 'le') page.writeUInt32LE(v, at);
    else page.writeUInt32BE(v, at);
  }

  newPage(type: number): { number: number; page: Buffer } {
    const page = Buffer.alloc(this.pageSize);
    const number = this.pages.length;
    this.pages.push(page);
    this.u32(page, 8, number);
    page[25] = type;
    // hf_offset: an empty hash page is free from its end; metadata pages have other fields there.
    if (type === P_HASH) this.u16(page, 22, this.pageSize);
    return { number, page };
  }
}

export function buildBdb(entries: Array<{ key: number; value: Buffer }>, opts: BdbOptions = {}): BdbLayout {
  const w = new Writer(opts.pageSize ?? 4096, opts.endian ?? 'le');
  const meta = w.newPage(P_HASHMETA).page;
  const layout: BdbLayout = {
    file: Buffer.alloc(0),
    pageSize: w.pageSize,
    hashPages: [],
    overflowPages: [],
    inlineValues: 0,
  };
  let hash = w.newPage(P_HASH);
  layout.hashPages.push(hash.number);
  const all =
    opts.nextInstance === false
      ? entries
      : [{ key: 0, value: u32Bytes(w, Math.max(0, ...entries.map((e) => e.key)) + 1) }, ...entries];
  for (const { key, value } of all) {
    const keyItem = Buffer.concat([Buffer.from([H_KEYDATA]), u32Bytes(w, key)]);
    const big = 1 + value.length > w.pageSize / 4;
    if (!big) layout.inlineValues++;
    const dataItem = big ? offpage(w, value, layout) : Buffer.concat([Buffer.from([H_KEYDATA]), value]);
    if (!fits(w, hash.page, keyItem.length + dataItem.length)) {
      const next = w.newPage(P_HASH);
      w.u32(hash.page, 16, next.number);
      w.u32(next.page, 12, hash.number);
      hash = next;
      layout.hashPages.push(hash.number);
    }
    addItem(w, hash.page, keyItem);
    addItem(w, hash.page, dataItem);
  }
  writeMeta(w, meta, all.length);
  layout.file = Buffer.concat(w.pages);
  return layout;
}

function u32Bytes(w: Writer, v: number): Buffer {
  const b = Buffer.alloc(4);
  w.u32(b, 0, v);
  return b;
}

function entriesOf(w: Writer, page: Buffer): number {
  return w.endian === 'le' ? page.readUInt16LE(20) : page.readUInt16BE(20);
}

function hfOffsetOf(w: Writer, page: Buffer): number {
  return w.endian === 'le' ? page.readUInt16LE(22) : page.readUInt16BE(22);
}

function fits(w: Writer, page: Buffer, bytes: number): boolean {
  return hfOffsetOf(w, page) - (PAGE_HEADER + 2 * entriesOf(w, page)) >= bytes + 4;
}

function addItem(w: Writer, page: Buffer, item: Buffer): void {
  const entries = entriesOf(w, page);
  const at = hfOffsetOf(w, page) - item.length;
  item.copy(page, at);
  w.u16(page, PAGE_HEADER + 2 * entries, at);
  w.u16(page, 20, entries + 1);
  w.u16(page, 22, at);
}

/** Writes `value` to a chain of overflow pages and returns the H_OFFPAGE item pointing at it. */
function offpage(w: Writer, value: Buffer, layout: BdbLayout): Buffer {
  const perPage = w.pageSize - PAGE_HEADER;
  let previous: { number: number; page: Buffer } | undefined;
  let first = 0;
  for (let at = 0; at < value.length; at += perPage) {
    const page = w.newPage(P_OVERFLOW);
    layout.overflowPages.push(page.number);
    const chunk = value.subarray(at, at + perPage);
    chunk.copy(page.page, PAGE_HEADER);
    w.u16(page.page, 22, chunk.length);
    w.u16(page.page, 20, 1);
    if (previous) {
      w.u32(previous.page, 16, page.number);
      w.u32(page.page, 12, previous.number);
    } else first = page.number;
    previous = page;
  }
  const item = Buffer.alloc(12);
  item[0] = H_OFFPAGE;
  w.u32(item, 4, first);
  w.u32(item, 8, value.length);
  return item;
}

function writeMeta(w: Writer, meta: Buffer, pairs: number): void {
  w.u32(meta, 12, 0x061561);
  w.u32(meta, 16, 9);
  w.u32(meta, 20, w.pageSize);
  meta[25] = P_HASHMETA;
  w.u32(meta, 32, w.pages.length - 1); // last_pgno
  w.u32(meta, 72, 0); // max_bucket: one bucket
  w.u32(meta, 88, pairs); // nelem
  w.u32(meta, 96, 1); // spares[0]: bucket 0 is page 1
}
