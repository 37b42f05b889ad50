/**
 * A defensive ELF reader: just enough to find named sections (`.go.buildinfo`, cargo-auditable's
 * `.dep-v0`) and map virtual addresses to file offsets. Everything read from the file is checked
 * against the buffer's bounds first; a bad header or table is a value, never a throw.
 * Format: the System V gABI, "ELF Header" and "Sections"
 * (https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html,
 * https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.sheader.html); 32/64-bit, either byte order.
 */

export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
/** No real program has more; a larger count is a corrupt header, not a reason to loop. */
const MAX_SECTIONS = 65_535;
const SHT_NOBITS = 8;

export interface ElfSection {
  name: string;
  type: number;
  /** Virtual address when loaded (0 for sections that are not). */
  addr: number;
  offset: number;
  size: number;
}

export interface ElfFile {
  is64: boolean;
  littleEndian: boolean;
  sections: ElfSection[];
}

export type ElfResult =
  | { kind: 'elf'; elf: ElfFile }
  | { kind: 'not-elf' }
  | { kind: 'corrupt'; message: string };

export function isElf(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.subarray(0, 4).equals(ELF_MAGIC);
}

/** Reads unsigned integers in the file's byte order and width, undefined when out of bounds. */
export class ElfReader {
  constructor(
    readonly bytes: Buffer,
    readonly littleEndian: boolean,
  ) {}
  u16(at: number): number | undefined {
    if (at < 0 || at + 2 > this.bytes.length) return undefined;
    return this.littleEndian ? this.bytes.readUInt16LE(at) : this.bytes.readUInt16BE(at);
  }
  u32(at: number): number | undefined {
    if (at < 0 || at + 4 > this.bytes.length) return undefined;
    return this.littleEndian ? this.bytes.readUInt32LE(at) : this.bytes.readUInt32BE(at);
  }
  /** 64-bit values above 2^53 cannot be offsets into a buffer: they read as undefined. */
  u64(at: number): number | undefined {
    if (at < 0 || at + 8 > this.bytes.length) return undefined;
    const value = this.littleEndian ? this.bytes.readBigUInt64LE(at) : this.bytes.readBigUInt64BE(at);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
  word(at: number, is64: boolean): number | undefined {
    return is64 ? this.u64(at) : this.u32(at);
  }
}

export function parseElf(bytes: Buffer): ElfResult {
  if (!isElf(bytes)) return { kind: 'not-elf' };
  if (bytes.length < 52) return { kind: 'corrupt', message: 'ELF header truncated' };
  const cls = bytes[4];
  const data = bytes[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) {
    return { kind: 'corrupt', message: `unknown ELF class ${cls} or byte order ${data}` };
  }
  const is64 = cls === 2;
  const r = new ElfReader(bytes, data === 1);
  const shoff = r.word(is64 ? 0x28 : 0x20, is64);
  const shentsize = r.u16(is64 ? 0x3a : 0x2e);
  const shnum = r.u16(is64 ? 0x3c : 0x30);
  const shstrndx = r.u16(is64 ? 0x3e : 0x32);
  if (shoff === undefined || shentsize === undefined || shnum === undefined || shstrndx === undefined) {
    return { kind: 'corrupt', message: 'ELF header truncated' };
  }
  const elf: ElfFile = { is64, littleEndian: r.littleEndian, sections: [] };
  if (shoff === 0 || shnum === 0) return { kind: 'elf', elf }; // no section table: allowed by the gABI
  const minEntry = is64 ? 64 : 40;
  if (shentsize < minEntry || shnum > MAX_SECTIONS || shoff + shnum * shentsize > bytes.length) {
    return {
      kind: 'corrupt',
      message: `section header table (offset ${shoff}, ${shnum} entries) out of bounds`,
    };
  }
  const raw = readSectionHeaders(r, is64, shoff, shentsize, shnum);
  const names = raw[shstrndx];
  for (const section of raw) {
    const name = names ? sectionName(bytes, names, section.nameOffset) : '';
    elf.sections.push({
      name,
      type: section.type,
      addr: section.addr,
      offset: section.offset,
      size: section.size,
    });
  }
  return { kind: 'elf', elf };
}

interface RawSection {
  nameOffset: number;
  type: number;
  addr: number;
  offset: number;
  size: number;
}

function readSectionHeaders(
  r: ElfReader,
  is64: boolean,
  shoff: number,
  entsize: number,
  count: number,
): RawSection[] {
  const out: RawSection[] = [];
  for (let i = 0; i < count; i++) {
    const at = shoff + i * entsize;
    // Bounds were checked for the whole table; a 64-bit value beyond 2^53 reads as -1 (never valid).
    out.push({
      nameOffset: r.u32(at) ?? -1,
      type: r.u32(at + 4) ?? -1,
      addr: r.word(at + (is64 ? 0x10 : 0x0c), is64) ?? -1,
      offset: r.word(at + (is64 ? 0x18 : 0x10), is64) ?? -1,
      size: r.word(at + (is64 ? 0x20 : 0x14), is64) ?? -1,
    });
  }
  return out;
}

/** A NUL-terminated name inside the section-name table; '' when anything is out of bounds. */
function sectionName(bytes: Buffer, table: RawSection, nameOffset: number): string {
  if (table.offset < 0 || table.size < 0 || table.offset + table.size > bytes.length) return '';
  if (nameOffset < 0 || nameOffset >= table.size) return '';
  const start = table.offset + nameOffset;
  const end = bytes.indexOf(0, start);
  const stop = end === -1 || end > table.offset + table.size ? table.offset + table.size : end;
  return bytes.toString('latin1', start, Math.min(stop, start + 256));
}

/** The section's bytes, or undefined when it has none in the file or points outside it. */
export function sectionBytes(bytes: Buffer, section: ElfSection): Buffer | undefined {
  if (section.type === SHT_NOBITS || section.offset < 0 || section.size < 0) return undefined;
  if (section.offset + section.size > bytes.length) return undefined;
  return bytes.subarray(section.offset, section.offset + section.size);
}

export function findSection(elf: ElfFile, name: string): ElfSection | undefined {
  return elf.sections.find((s) => s.name === name);
}

/** File offset of a virtual address, through the loaded section that holds it. */
export function fileOffsetOf(elf: ElfFile, addr: number): number | undefined {
  for (const s of elf.sections) {
    if (s.addr <= 0 || s.type === SHT_NOBITS || s.offset < 0) continue;
    if (addr >= s.addr && addr < s.addr + s.size) return s.offset + (addr - s.addr);
  }
  return undefined;
}
