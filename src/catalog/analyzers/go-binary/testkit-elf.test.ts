/**
 * Test helpers (no tests): a minimal ELF writer (32/64-bit, either byte order, named sections)
 * and Go build info blobs in both formats, written from the layouts documented in elf.ts and
 * buildinfo.ts, so tests do not depend on a Go toolchain. Output is valid enough for binutils
 * (`readelf -S`, `objcopy --add-section`) to accept.
 */
import { BUILDINFO_MAGIC } from './buildinfo.js';

export interface SectionSpec {
  name: string;
  data: Buffer;
  /** Virtual address; 0 = not loaded. */
  addr?: number;
  /** SHT_PROGBITS unless told. */
  type?: number;
}

export interface ElfSpec {
  is64?: boolean;
  littleEndian?: boolean;
  sections: SectionSpec[];
}

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

export function buildElf(spec: ElfSpec): Buffer {
  const is64 = spec.is64 ?? true;
  const le = spec.littleEndian ?? true;
  const ehsize = is64 ? 64 : 52;
  const shentsize = is64 ? 64 : 40;
  const names = ['', ...spec.sections.map((s) => s.name), '.shstrtab'];
  const nameOffsets: number[] = [];
  let shstr = Buffer.alloc(0);
  for (const name of names) {
    nameOffsets.push(shstr.length);
    shstr = Buffer.concat([shstr, Buffer.from(`${name}\0`, 'latin1')]);
  }
  const all = [...spec.sections, { name: '.shstrtab', data: shstr, type: 3 }];
  const offsets: number[] = [];
  let at = align(ehsize, 16);
  for (const s of all) {
    offsets.push(at);
    at = align(at + s.data.length, 16);
  }
  const shoff = at;
  const out = Buffer.alloc(shoff + shentsize * (all.length + 1));
  const u16 = (v: number, o: number): number => (le ? out.writeUInt16LE(v, o) : out.writeUInt16BE(v, o));
  const u32 = (v: number, o: number): number => (le ? out.writeUInt32LE(v, o) : out.writeUInt32BE(v, o));
  const word = (v: number, o: number): number => {
    if (!is64) return u32(v, o);
    return le ? out.writeBigUInt64LE(BigInt(v), o) : out.writeBigUInt64BE(BigInt(v), o);
  };
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1], 0);
  u16(2, 16); // ET_EXEC
  u16(is64 ? 62 : 3, 18); // EM_X86_64 / EM_386
  u32(1, 20);
  word(shoff, is64 ? 0x28 : 0x20);
  u16(ehsize, is64 ? 0x34 : 0x28);
  u16(shentsize, is64 ? 0x3a : 0x2e);
  u16(all.length + 1, is64 ? 0x3c : 0x30);
  u16(all.length, is64 ? 0x3e : 0x32);
  all.forEach((s, i) => {
    s.data.copy(out, offsets[i]!);
    const h = shoff + (i + 1) * shentsize;
    u32(nameOffsets[i + 1]!, h);
    u32(s.type ?? 1, h + 4);
    word(s.addr ?? 0, h + (is64 ? 0x10 : 0x0c));
    word(offsets[i]!, h + (is64 ? 0x18 : 0x10));
    word(s.data.length, h + (is64 ? 0x20 : 0x14));
  });
  return out;
}

function uvarint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** cmd/go's sentinels around the module info (runtime/debug), as seen in real binaries. */
export const MODINFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
export const MODINFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

export function wrapModinfo(text: string): Buffer {
  return Buffer.concat([MODINFO_START, Buffer.from(text), MODINFO_END]);
}

/** Go ≥ 1.18: header, then varint-prefixed version and module info. */
export function inlineBuildInfo(goVersion: string, modinfo: Buffer, ptrSize = 8): Buffer {
  const header = Buffer.alloc(32);
  BUILDINFO_MAGIC.copy(header);
  header[14] = ptrSize;
  header[15] = 2;
  const version = Buffer.from(goVersion);
  return Buffer.concat([header, uvarint(version.length), version, uvarint(modinfo.length), modinfo]);
}

/**
 * Go 1.13–1.17 (pointer format), 64-bit little-endian: returns the ELF, with `.go.buildinfo`
 * pointing at two string headers in a `.data` section loaded at `base`.
 */
export function pointerFormatElf(goVersion: string, modinfo: Buffer, base = 0x500000): Buffer {
  const version = Buffer.from(goVersion);
  // .data: [header(version) 16][header(modinfo) 16][version bytes][modinfo bytes]
  const data = Buffer.alloc(32 + version.length + modinfo.length);
  data.writeBigUInt64LE(BigInt(base + 32), 0);
  data.writeBigUInt64LE(BigInt(version.length), 8);
  data.writeBigUInt64LE(BigInt(base + 32 + version.length), 16);
  data.writeBigUInt64LE(BigInt(modinfo.length), 24);
  version.copy(data, 32);
  modinfo.copy(data, 32 + version.length);
  const info = Buffer.alloc(32);
  BUILDINFO_MAGIC.copy(info);
  info[14] = 8;
  info[15] = 0;
  info.writeBigUInt64LE(BigInt(base), 16);
  info.writeBigUInt64LE(BigInt(base + 16), 24);
  return buildElf({
    sections: [
      { name: '.go.buildinfo', data: info, addr: 0x400000 },
      { name: '.data', data, addr: base },
    ],
  });
}

/** Module info as cmd/go writes it for a module build with a replaced and a locally replaced dependency. */
export const MODINFO = [
  'path\texample.com/app/cmd/server',
  'mod\texample.com/app\t(devel)\t',
  'dep\tgithub.com/google/uuid\tv1.6.0\th1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=',
  'dep\tgolang.org/x/net\tv0.17.0',
  '=>\tgithub.com/fork/net\tv0.17.1-fix\th1:abc=',
  'dep\texample.com/lib\tv1.0.0',
  '=>\t../lib\t',
  'build\t-buildmode=exe',
  'build\t-ldflags="-s -w"',
  'build\tGOARCH=amd64',
  'build\tvcs.revision=0123456789abcdef',
  '',
].join('\n');
