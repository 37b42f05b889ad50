/**
 * Decoding of single 512-byte tar header blocks and PAX extended-header records, for the
 * random-access index. Formats: POSIX ustar and pax (IEEE Std 1003.1-2001, `pax` utility,
 * https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_01) and
 * the GNU extensions (`L`/`K` long names, base-256 sizes; GNU tar manual, "Tar Internals").
 */

export const BLOCK = 512;

export type HeaderKind =
  | 'file'
  | 'hardlink'
  | 'symlink'
  | 'directory'
  | 'pax'
  | 'pax-global'
  | 'gnu-long-name'
  | 'gnu-long-link'
  | 'other';

export interface RawHeader {
  name: string;
  linkname: string;
  size: number;
  mode: number;
  kind: HeaderKind;
  /** The type flag as found, for messages. */
  typeflag: string;
}

const KINDS: Record<string, HeaderKind> = {
  '0': 'file',
  '\0': 'file',
  // '7' is "contiguous file", read like a regular file by every implementation.
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '5': 'directory',
  x: 'pax',
  g: 'pax-global',
  L: 'gnu-long-name',
  K: 'gnu-long-link',
};

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function cString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  const stop = end < 0 || end > start + length ? start + length : end;
  return block.toString('utf8', start, stop);
}

/**
 * Numeric fields are octal text, or (GNU/star extension for sizes ≥ 8 GiB) big-endian
 * base-256 when the first byte has its high bit set.
 */
function numeric(block: Buffer, start: number, length: number): number {
  const first = block[start] ?? 0;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + (block[i] ?? 0);
    return value;
  }
  const text = cString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return Number.NaN;
  return Number.parseInt(text, 8);
}

/** The header checksum treats its own field as spaces; old writers summed signed bytes. */
function checksumOk(block: Buffer): boolean {
  const stored = numeric(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** Returns a reason string instead of a header when the block is not a valid tar header. */
export function decodeHeader(block: Buffer): RawHeader | string {
  if (!checksumOk(block)) return 'bad header checksum';
  const size = numeric(block, 124, 12);
  const mode = numeric(block, 100, 8);
  if (!Number.isSafeInteger(size) || size < 0) return 'bad size field';
  const typeflag = String.fromCharCode(block[156] ?? 0);
  let name = cString(block, 0, 100);
  // Only POSIX ustar ("ustar\0") has a prefix field; old GNU ("ustar  ") uses those bytes otherwise.
  if (block.toString('latin1', 257, 263) === 'ustar\0') {
    const prefix = cString(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  return {
    name,
    linkname: cString(block, 157, 100),
    size,
    mode: Number.isNaN(mode) ? 0 : mode,
    kind: KINDS[typeflag] ?? 'other',
    typeflag,
  };
}

/**
 * PAX records are `"<len> <key>=<value>\n"` where len counts the whole record in bytes. We
 * keep `path`, `linkpath` and `size` (which overrides the octal field for large files).
 */
export function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number.parseInt(data.toString('latin1', pos, space), 10);
    if (!Number.isSafeInteger(len) || len <= space - pos || pos + len > data.length) break;
    const record = data.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

/** Body length rounded up to whole blocks. */
export function paddedSize(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** What PAX / GNU long-name headers say about the next member. */
export interface Pending {
  path?: string;
  linkpath?: string;
  size?: number;
}

/** Folds one extended header (PAX `x`, GNU `L`/`K`) into what applies to the next member. */
export function mergeExtended(pending: Pending, kind: HeaderKind, body: Buffer): Pending {
  if (kind === 'gnu-long-name') return { ...pending, path: body.toString('utf8').replace(/\0+$/, '') };
  if (kind === 'gnu-long-link') return { ...pending, linkpath: body.toString('utf8').replace(/\0+$/, '') };
  const pax = parsePax(body);
  const next = { ...pending };
  const p = pax.get('path');
  const l = pax.get('linkpath');
  const s = pax.get('size');
  if (p !== undefined) next.path = p;
  if (l !== undefined) next.linkpath = l;
  if (s !== undefined && /^\d+$/.test(s)) next.size = Number(s);
  return next;
}
