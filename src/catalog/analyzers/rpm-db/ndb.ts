/**
 * NDB `Packages.db`, rpm's own database format (rpm >= 4.15), the default on SUSE Linux
 * Enterprise 15 SP3+ and openSUSE Leap 15.3+/Tumbleweed. Structure per rpm's
 * lib/backend/ndb/rpmpkg.c (https://github.com/rpm-software-management/rpm/blob/master/lib/backend/ndb/rpmpkg.c),
 * all integers little-endian:
 * - a 32-byte header {magic "RpmP", version 0, generation, slot page count, next package index};
 * - slot pages of 4096 bytes right after it (the header takes the first two 16-byte slots), each
 *   slot {magic "Slot", package index, block offset, block count}, block offset 0 = free slot;
 * - blobs at `block offset × 16`: head {magic "BlbS", package index, timestamp, length}, the
 *   header blob, zero padding, tail {adler32 of head+blob+padding, length, magic "BlbE"}.
 */
import type { BlobScan, RpmBlob } from './blob.js';
import { adler32, Bytes } from './bytes.js';
import { hex, hex32, problemFrom, RpmDbFormatError, type RpmDbProblem } from './problems.js';

const HEADER_SIZE = 32;
const PAGE_SIZE = 4096;
const SLOT_SIZE = 16;
const BLOCK_SIZE = 16;
const BLOB_HEAD_SIZE = 16;
const BLOB_TAIL_SIZE = 12;
const VERSION = 0;

interface Slot {
  number: number;
  pkgIndex: number;
  blockOffset: number;
  blockCount: number;
}

export function scanNdb(file: Buffer): BlobScan {
  const bytes = new Bytes(file, 'le');
  const problems: RpmDbProblem[] = [];
  let slotPages: number;
  try {
    slotPages = readHeader(bytes, problems);
  } catch (err) {
    return { blobs: [], problems: [problemFrom(err, 'NDB header')] };
  }
  const blobs: RpmBlob[] = [];
  for (const slot of readSlots(bytes, slotPages, problems)) {
    try {
      blobs.push(readBlob(bytes, slot, problems));
    } catch (err) {
      problems.push(problemFrom(err, `package ${slot.pkgIndex} (slot ${slot.number})`, slot.pkgIndex));
    }
  }
  return { blobs, problems };
}

/** Returns how many slot pages the file really holds (a truncated file keeps the ones it has). */
function readHeader(bytes: Bytes, problems: RpmDbProblem[]): number {
  bytes.check(0, HEADER_SIZE, 'NDB header');
  const magic = bytes.buf.toString('latin1', 0, 4);
  if (magic !== 'RpmP') {
    throw new RpmDbFormatError(
      'corrupt-database',
      `not an rpm NDB database: magic at offset 0 is ${hex32(bytes.u32(0, 'magic'))} (${JSON.stringify(magic)}), expected "RpmP"`,
      0,
    );
  }
  const version = bytes.u32(4, 'NDB version');
  if (version !== VERSION) {
    throw new RpmDbFormatError(
      'unsupported-database-format',
      `NDB version ${version}, only ${VERSION} exists`,
      4,
    );
  }
  const declared = bytes.u32(12, 'NDB slot page count');
  if (declared < 1) throw new RpmDbFormatError('corrupt-database', 'NDB header declares no slot pages', 12);
  const present = Math.floor(bytes.length / PAGE_SIZE);
  if (declared > present) {
    problems.push({
      code: 'truncated-file',
      offset: bytes.length,
      message: `NDB header declares ${declared} slot pages, the file holds ${present}`,
    });
    return present;
  }
  return declared;
}

function readSlots(bytes: Bytes, slotPages: number, problems: RpmDbProblem[]): Slot[] {
  const slots: Slot[] = [];
  const seen = new Set<number>();
  for (let page = 0; page < slotPages; page++) {
    for (let at = page === 0 ? HEADER_SIZE : page * PAGE_SIZE; at < (page + 1) * PAGE_SIZE; at += SLOT_SIZE) {
      if (bytes.buf.toString('latin1', at, at + 4) !== 'Slot') {
        // One problem per page: a garbage page would otherwise yield 256 of them.
        problems.push({
          code: 'corrupt-database',
          offset: at,
          message: `NDB slot page ${page}: no "Slot" magic at offset ${hex(at)}; rest of the page skipped`,
        });
        break;
      }
      const slot = readSlot(bytes, at, slotPages, problems);
      if (slot === undefined) continue;
      if (seen.has(slot.pkgIndex)) {
        problems.push({
          code: 'corrupt-database',
          offset: at,
          key: slot.pkgIndex,
          message: `NDB slot ${slot.number}: package index ${slot.pkgIndex} is used by an earlier slot; skipped`,
        });
        continue;
      }
      seen.add(slot.pkgIndex);
      slots.push(slot);
    }
  }
  return slots;
}

/** A used, plausible slot; free slots and bad ones (with a problem) give undefined. */
function readSlot(bytes: Bytes, at: number, slotPages: number, problems: RpmDbProblem[]): Slot | undefined {
  const slot: Slot = {
    number: at / SLOT_SIZE,
    pkgIndex: bytes.u32(at + 4, 'slot package index'),
    blockOffset: bytes.u32(at + 8, 'slot block offset'),
    blockCount: bytes.u32(at + 12, 'slot block count'),
  };
  if (slot.blockOffset === 0) return undefined;
  const where = `NDB slot ${slot.number} at offset ${hex(at)} (package ${slot.pkgIndex}, blocks ${slot.blockOffset}+${slot.blockCount})`;
  // Same checks as rpmpkg.c's rpmpkgReadSlots: blobs start after the slot pages and hold something.
  if (
    slot.pkgIndex === 0 ||
    slot.blockCount === 0 ||
    slot.blockOffset < (slotPages * PAGE_SIZE) / BLOCK_SIZE
  ) {
    problems.push({
      code: 'corrupt-database',
      offset: at,
      key: slot.pkgIndex,
      message: `${where}: impossible slot`,
    });
    return undefined;
  }
  if ((slot.blockOffset + slot.blockCount) * BLOCK_SIZE > bytes.length) {
    problems.push({
      code: 'truncated-file',
      offset: at,
      key: slot.pkgIndex,
      message: `${where}: blob runs past the end of the file (${hex(bytes.length)} bytes)`,
    });
    return undefined;
  }
  return slot;
}

function readBlob(bytes: Bytes, slot: Slot, problems: RpmDbProblem[]): RpmBlob {
  const start = slot.blockOffset * BLOCK_SIZE;
  const fail = (message: string, offset: number): never => {
    throw new RpmDbFormatError('corrupt-database', `blob at offset ${hex(start)}: ${message}`, offset);
  };
  if (bytes.buf.toString('latin1', start, start + 4) !== 'BlbS') fail('no "BlbS" head magic', start);
  const pkgIndex = bytes.u32(start + 4, 'blob package index');
  if (pkgIndex !== slot.pkgIndex)
    fail(`head names package ${pkgIndex}, the slot ${slot.pkgIndex}`, start + 4);
  const length = bytes.u32(start + 12, 'blob length');
  const blocks = Math.ceil((BLOB_HEAD_SIZE + length + BLOB_TAIL_SIZE) / BLOCK_SIZE);
  if (blocks !== slot.blockCount)
    fail(`length ${length} needs ${blocks} blocks, the slot gives ${slot.blockCount}`, start + 12);
  const tail = start + slot.blockCount * BLOCK_SIZE - BLOB_TAIL_SIZE;
  if (bytes.u32(tail + 4, 'blob tail length') !== length)
    fail('tail length differs from head length', tail + 4);
  if (bytes.buf.toString('latin1', tail + 8, tail + 12) !== 'BlbE') fail('no "BlbE" tail magic', tail + 8);
  const stored = bytes.u32(tail, 'blob checksum');
  const computed = adler32(bytes.view(start, tail - start, 'blob'));
  if (stored !== computed) {
    // rpm itself does not verify this on reads; the header parser still validates the blob.
    problems.push({
      code: 'checksum-mismatch',
      offset: tail,
      key: pkgIndex,
      message: `package ${pkgIndex}: blob at offset ${hex(start)} has adler32 ${hex(computed)}, its tail says ${hex(stored)}`,
    });
  }
  return { key: pkgIndex, offset: start, bytes: bytes.view(start + BLOB_HEAD_SIZE, length, 'blob') };
}
