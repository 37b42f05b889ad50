/**
 * A writer of NDB `Packages.db` files following rpm's lib/backend/ndb/rpmpkg.c (no tests here):
 * header, slot pages, then each blob framed by head, zero padding to 16-byte blocks and a tail
 * with the adler32 of everything before it.
 */
import { adler32 } from './bytes.js';

const PAGE = 4096;
const BLOCK = 16;

export interface NdbLayout {
  file: Buffer;
  /** File offset of each blob's head, in input order. */
  blobOffsets: number[];
  /** File offset of each blob's slot. */
  slotOffsets: number[];
}

export function buildNdb(blobs: Array<{ pkgIndex: number; blob: Buffer }>, slotPages = 1): NdbLayout {
  const slots = Buffer.alloc(slotPages * PAGE);
  for (let at = 0; at < slots.length; at += 16) slots.write('Slot', at, 'latin1');
  slots.write('RpmP', 0, 'latin1');
  slots.writeUInt32LE(0, 4); // version
  slots.writeUInt32LE(1, 8); // generation
  slots.writeUInt32LE(slotPages, 12);
  slots.writeUInt32LE(Math.max(0, ...blobs.map((b) => b.pkgIndex)) + 1, 16);
  const layout: NdbLayout = { file: Buffer.alloc(0), blobOffsets: [], slotOffsets: [] };
  const frames: Buffer[] = [];
  let offset = slots.length;
  blobs.forEach(({ pkgIndex, blob }, i) => {
    const frame = frameBlob(pkgIndex, blob);
    const slotAt = 32 + i * 16;
    slots.writeUInt32LE(pkgIndex, slotAt + 4);
    slots.writeUInt32LE(offset / BLOCK, slotAt + 8);
    slots.writeUInt32LE(frame.length / BLOCK, slotAt + 12);
    layout.blobOffsets.push(offset);
    layout.slotOffsets.push(slotAt);
    frames.push(frame);
    offset += frame.length;
  });
  layout.file = Buffer.concat([slots, ...frames]);
  return layout;
}

function frameBlob(pkgIndex: number, blob: Buffer): Buffer {
  const size = Math.ceil((16 + blob.length + 12) / BLOCK) * BLOCK;
  const frame = Buffer.alloc(size);
  frame.write('BlbS', 0, 'latin1');
  frame.writeUInt32LE(pkgIndex, 4);
  frame.writeUInt32LE(1_700_000_000, 8);
  frame.writeUInt32LE(blob.length, 12);
  blob.copy(frame, 16);
  const tail = size - 12;
  frame.writeUInt32LE(adler32(frame.subarray(0, tail)), tail);
  frame.writeUInt32LE(blob.length, tail + 4);
  frame.write('BlbE', tail + 8, 'latin1');
  return frame;
}
