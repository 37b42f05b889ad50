/**
 * The header walk behind TarIndex: reads one 512-byte header per member and jumps over the
 * body by its (padded) size; only extended-header bodies (PAX `x`, GNU `L`/`K`) are read.
 */
import type { FileHandle } from 'node:fs/promises';
import { AssayError } from '../../model/errors.js';
import {
  BLOCK,
  decodeHeader,
  type HeaderKind,
  isZeroBlock,
  mergeExtended,
  type Pending,
  paddedSize,
} from './tar-header.js';

export interface TarMember {
  name: string;
  /** Byte offset of the body in the archive file. */
  offset: number;
  size: number;
  kind: HeaderKind;
  linkname: string;
  mode: number;
}

export interface ScanResult {
  members: Map<string, TarMember>;
  /** Names that would escape the archive root; never indexed. */
  unsafe: string[];
}

/**
 * Cleans a member name the way extractors do: drops `/` prefixes, empty and `.` segments and
 * resolves `..`. Returns undefined when the name climbs above the archive root.
 */
export function cleanArchivePath(name: string): string | undefined {
  const parts: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/** PAX and GNU long-name bodies hold a few paths; anything bigger is not a real archive. */
const MAX_META_BODY = 1 << 20;
const EXTENDED = new Set<HeaderKind>(['pax', 'gnu-long-name', 'gnu-long-link']);

export async function scanHeaders(
  fh: FileHandle,
  fileSize: number,
  path: string,
  maxMembers: number,
): Promise<ScanResult> {
  const out: ScanResult = { members: new Map(), unsafe: [] };
  const scanner = new HeaderScanner(fh, fileSize, path);
  for (let m = await scanner.next(); m; m = await scanner.next()) record(out, m, maxMembers, path);
  return out;
}

class HeaderScanner {
  private readonly block = Buffer.alloc(BLOCK);
  private pending: Pending = {};
  private pos = 0;
  private last = '(start of archive)';

  constructor(
    private readonly fh: FileHandle,
    private readonly fileSize: number,
    private readonly path: string,
  ) {}

  private corrupt(why: string): AssayError {
    return new AssayError('corrupt-archive', `${this.path}: ${why}`);
  }

  /** The next real member (extended headers folded in), or undefined at the end-of-archive marker. */
  async next(): Promise<TarMember | undefined> {
    for (;;) {
      const m = await this.header();
      if (!m) return undefined;
      this.pos = m.offset + paddedSize(m.size);
      if (!EXTENDED.has(m.kind)) {
        this.pending = {};
        this.last = `member ${m.name}`;
        if (m.kind !== 'pax-global') return m;
        continue;
      }
      if (m.size > MAX_META_BODY) throw this.corrupt(`extended header of ${m.size} bytes after ${this.last}`);
      const body = Buffer.alloc(m.size);
      await this.fh.read(body, 0, m.size, m.offset);
      this.pending = mergeExtended(this.pending, m.kind, body);
    }
  }

  private async header(): Promise<TarMember | undefined> {
    const { fileSize, pos, pending } = this;
    if (pos + BLOCK > fileSize) {
      throw this.corrupt(
        `truncated after ${this.last}: no end-of-archive marker before the end of the file (${fileSize} bytes)`,
      );
    }
    await this.fh.read(this.block, 0, BLOCK, pos);
    if (isZeroBlock(this.block)) return undefined;
    const h = decodeHeader(this.block);
    if (typeof h === 'string')
      throw this.corrupt(`${h} at offset ${pos} (after ${this.last}); not a tar archive or corrupted`);
    const extended = EXTENDED.has(h.kind);
    const m: TarMember = {
      name: extended ? h.name : (pending.path ?? h.name),
      offset: pos + BLOCK,
      size: extended ? h.size : (pending.size ?? h.size),
      kind: h.kind,
      linkname: pending.linkpath ?? h.linkname,
      mode: h.mode,
    };
    if (m.offset + m.size > fileSize) {
      throw this.corrupt(
        `member ${m.name} (${m.size} bytes at offset ${m.offset}) extends past the end of the file (${fileSize} bytes): truncated archive`,
      );
    }
    return m;
  }
}

/** Later members of the same name replace earlier ones, as extraction would. */
function record(out: ScanResult, member: TarMember, maxMembers: number, path: string): void {
  const clean = cleanArchivePath(member.name);
  if (clean === undefined) out.unsafe.push(member.name);
  else if (clean !== '') out.members.set(clean, { ...member, name: clean });
  if (out.members.size > maxMembers)
    throw new AssayError('too-large', `${path}: more than ${maxMembers} members`);
}
