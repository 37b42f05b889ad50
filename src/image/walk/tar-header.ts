/**
 * Decoding of one 512-byte tar header block: POSIX ustar, GNU and old v7 headers.
 * Field layout: https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html#tag_20_94_13_06
 * GNU variants (base-256 numbers, `ustar  ` magic without prefix field):
 * https://www.gnu.org/software/tar/manual/html_node/Standard.html
 */

export const BLOCK = 512;

export interface RawHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
}

export type HeaderResult =
  | { kind: 'header'; header: RawHeader }
  | { kind: 'zero' }
  | { kind: 'bad'; reason: string };

const CHECKSUM_OFFSET = 148;
const CHECKSUM_LENGTH = 8;
const SPACE = 0x20;

export function decodeHeader(block: Buffer): HeaderResult {
  const sum = byteSum(block, 0, BLOCK);
  if (sum === 0) return { kind: 'zero' };
  const stored = parseNumber(block, CHECKSUM_OFFSET, CHECKSUM_LENGTH);
  // The checksum is computed with its own field read as eight spaces.
  const unsigned = sum - byteSum(block, CHECKSUM_OFFSET, CHECKSUM_LENGTH) + CHECKSUM_LENGTH * SPACE;
  // Historic tars summed signed chars; GNU tar accepts both, and so do we (computed only when needed).
  if (stored === undefined || (stored !== unsigned && stored !== signedChecksum(block, unsigned))) {
    return {
      kind: 'bad',
      reason: `header checksum mismatch (stored ${String(stored)}, computed ${unsigned})`,
    };
  }
  const size = parseNumber(block, 124, 12);
  const mode = parseNumber(block, 100, 8);
  if (size === undefined || mode === undefined)
    return { kind: 'bad', reason: 'unreadable size or mode field' };
  return {
    kind: 'header',
    header: {
      name: decodeName(block),
      mode: mode & 0o7777,
      uid: parseNumber(block, 108, 8) ?? 0,
      gid: parseNumber(block, 116, 8) ?? 0,
      size,
      mtime: parseNumber(block, 136, 12) ?? 0,
      // A NUL typeflag is the pre-POSIX spelling of a regular file.
      typeflag: block[156] === 0 ? '0' : String.fromCharCode(block[156] ?? 0),
      linkname: block[157] === 0 ? '' : cString(block, 157, 100),
    },
  };
}

function byteSum(block: Buffer, start: number, length: number): number {
  let sum = 0;
  for (let i = start; i < start + length; i++) sum += block[i]!;
  return sum;
}

function signedChecksum(block: Buffer, unsigned: number): number {
  let high = 0;
  for (let i = 0; i < BLOCK; i++) {
    if (block[i]! > 127 && (i < CHECKSUM_OFFSET || i >= CHECKSUM_OFFSET + CHECKSUM_LENGTH)) high++;
  }
  return unsigned - 256 * high;
}

/** POSIX ustar (`ustar\0` + `00`) is the only format whose bytes 345..500 hold a name prefix. */
function decodeName(block: Buffer): string {
  const name = cString(block, 0, 100);
  const isPosixUstar =
    block[257] === 0x75 &&
    block[258] === 0x73 &&
    block[262] === 0 &&
    block[263] === 0x30 &&
    block[264] === 0x30;
  if (!isPosixUstar || block[345] === 0) return name;
  return `${cString(block, 345, 155)}/${name}`;
}

export function cString(block: Buffer, offset: number, length: number): string {
  let end = offset;
  const limit = offset + length;
  while (end < limit && block[end] !== 0) end++;
  return block.toString('utf8', offset, end);
}

/**
 * Octal ASCII (leading spaces or zeros, terminated by NUL or space), or GNU base-256 when the
 * first byte has its high bit set (sizes of 8 GiB and more, big uids). Undefined when unreadable.
 */
export function parseNumber(block: Buffer, offset: number, length: number): number | undefined {
  const first = block[offset] ?? 0;
  if (first & 0x80) return parseBase256(block, offset, length);
  let i = offset;
  const end = offset + length;
  while (i < end && block[i] === SPACE) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = block[i] ?? 0;
    if (c === 0 || c === SPACE) break;
    if (c < 0x30 || c > 0x37) return undefined;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  return digits === 0 && i < end && block[i] !== 0 && block[i] !== SPACE ? undefined : value;
}

function parseBase256(block: Buffer, offset: number, length: number): number | undefined {
  // 0xff first byte = negative number: never valid for sizes, ids or our mtimes.
  if (block[offset] === 0xff) return undefined;
  let value = (block[offset] ?? 0) & 0x7f;
  for (let i = offset + 1; i < offset + length; i++) {
    value = value * 256 + (block[i] ?? 0);
    if (value > Number.MAX_SAFE_INTEGER) return undefined;
  }
  return value;
}
