/**
 * The Go build information blob that `go build` links into every module-aware program
 * (`go version -m` prints it). Layout, from the Go sources (src/debug/buildinfo/buildinfo.go,
 * https://go.dev/src/debug/buildinfo/buildinfo.go): a 32-byte header starting with the magic
 * `\xff Go buildinf:` (16-byte aligned, at the start of the `.go.buildinfo` section), then the
 * pointer size and a flags byte.
 * - flags & 2 (Go ≥ 1.18): the version string and the module-info string follow the header
 *   inline, each prefixed by its length as an unsigned varint.
 * - otherwise (Go 1.13–1.17): two pointers at offset 16 to Go string headers `{data, len}` in
 *   the loaded image; flags & 1 means big-endian. Resolved through the ELF sections.
 * The module-info string is wrapped in two 16-byte sentinels (runtime/debug's `modinfo` is
 * written between them by cmd/go), which are stripped here.
 */
import { type ElfFile, ElfReader, fileOffsetOf, findSection, sectionBytes } from './elf.js';

export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_BYTES = 32;
/** `go1.21.4`, `go1.22rc1`, `devel go1.23-…`: what runtime.Version() returns. */
const GO_VERSION = /^(go\d|devel )/;
/** cmd/go's fixed sentinels (src/cmd/go/internal/modload/build.go, infoStart/infoEnd). */
const MODINFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const MODINFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');
/** Module info of real programs is a few KiB to ~100 KiB; more is a corrupt length. */
const MAX_STRING_BYTES = 16 * 1024 * 1024;

export type BuildInfoResult =
  | { kind: 'found'; goVersion: string; modinfo: string }
  | { kind: 'none' }
  | { kind: 'corrupt'; message: string };

/**
 * Candidate blobs: the `.go.buildinfo` section when there is one (reads stay inside it), else
 * each 16-byte-aligned magic to the end of the file, in file order. More than one candidate is
 * possible: programs that read build info (the go command itself) hold the magic as a constant.
 */
export function* buildInfoCandidates(bytes: Buffer, elf: ElfFile | undefined): Generator<Buffer> {
  const section = elf ? findSection(elf, '.go.buildinfo') : undefined;
  const data = section ? sectionBytes(bytes, section) : undefined;
  if (data?.subarray(0, BUILDINFO_MAGIC.length).equals(BUILDINFO_MAGIC)) {
    yield data;
    return;
  }
  // Stripped section headers, or not ELF (Mach-O, PE): Go itself searches for the aligned magic.
  for (let at = bytes.indexOf(BUILDINFO_MAGIC); at !== -1; at = bytes.indexOf(BUILDINFO_MAGIC, at + 1)) {
    if (at % 16 === 0) yield bytes.subarray(at);
  }
}

/** The first candidate that decodes; when none does, the first one's problem. */
export function readBuildInfo(bytes: Buffer, elf: ElfFile | undefined): BuildInfoResult {
  let first: BuildInfoResult | undefined;
  for (const blob of buildInfoCandidates(bytes, elf)) {
    const result = decodeBlob(bytes, blob, elf);
    if (result.kind === 'found') return result;
    first ??= result;
  }
  return first ?? { kind: 'none' };
}

function decodeBlob(bytes: Buffer, blob: Buffer, elf: ElfFile | undefined): BuildInfoResult {
  if (blob.length < HEADER_BYTES) return { kind: 'corrupt', message: 'build info header truncated' };
  const flags = blob[15] ?? 0;
  const strings = (flags & 2) !== 0 ? readInline(blob, HEADER_BYTES) : readPointers(bytes, blob, elf);
  if ('message' in strings) return { kind: 'corrupt', message: strings.message };
  // A magic constant followed by unrelated bytes can decode; a real blob names a Go toolchain.
  if (!GO_VERSION.test(strings.version)) {
    return { kind: 'corrupt', message: `not a Go version: ${JSON.stringify(strings.version.slice(0, 40))}` };
  }
  return { kind: 'found', goVersion: strings.version, modinfo: stripSentinels(strings.modinfo) };
}

type Strings = { version: string; modinfo: Buffer } | { message: string };

function readInline(bytes: Buffer, start: number): Strings {
  const version = readVarintString(bytes, start);
  if ('message' in version) return { message: `Go version: ${version.message}` };
  const modinfo = readVarintString(bytes, version.next);
  if ('message' in modinfo) return { message: `module info: ${modinfo.message}` };
  return { version: version.data.toString('utf8'), modinfo: modinfo.data };
}

function readVarintString(bytes: Buffer, at: number): { data: Buffer; next: number } | { message: string } {
  let length = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = bytes[pos++];
    if (byte === undefined) return { message: 'length truncated' };
    length += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
    if (shift > 35) return { message: 'length varint too long' };
  }
  if (length > MAX_STRING_BYTES) return { message: `length ${length} above the limit` };
  if (pos + length > bytes.length) return { message: `${length} bytes announced, file ends first` };
  return { data: bytes.subarray(pos, pos + length), next: pos + length };
}

/** Go 1.13–1.17: follow the two pointers through the section table (ELF only). */
function readPointers(bytes: Buffer, blob: Buffer, elf: ElfFile | undefined): Strings {
  if (!elf) return { message: 'pre-Go 1.18 build info outside an ELF file is not supported' };
  const ptrSize = blob[14] ?? 0;
  const is64 = ptrSize === 8;
  if (ptrSize !== 4 && ptrSize !== 8) return { message: `pointer size ${ptrSize}` };
  const header = new ElfReader(blob, ((blob[15] ?? 0) & 1) === 0);
  const r = new ElfReader(bytes, header.littleEndian);
  const read = (pointerAt: number): Buffer | undefined => {
    const pointer = header.word(pointerAt, is64);
    const headerAt = pointer === undefined ? undefined : fileOffsetOf(elf, pointer);
    if (headerAt === undefined) return undefined;
    const data = r.word(headerAt, is64);
    const length = r.word(headerAt + ptrSize, is64);
    if (data === undefined || length === undefined || length > MAX_STRING_BYTES) return undefined;
    if (length === 0) return Buffer.alloc(0);
    const dataAt = fileOffsetOf(elf, data);
    if (dataAt === undefined || dataAt + length > bytes.length) return undefined;
    return bytes.subarray(dataAt, dataAt + length);
  };
  const version = read(16);
  const modinfo = read(16 + ptrSize);
  if (version === undefined || modinfo === undefined) {
    return { message: 'pre-Go 1.18 build info points outside the file' };
  }
  return { version: version.toString('utf8'), modinfo };
}

/** cmd/go writes 16 arbitrary bytes before and after the text (runtime/debug.modinfo). */
function stripSentinels(modinfo: Buffer): string {
  let text = modinfo;
  if (text.length >= 33 && text[text.length - 17] === 0x0a) return text.subarray(16, -16).toString('utf8');
  // Not newline-terminated (corrupt or hand-made): strip the sentinels cmd/go uses, if present.
  if (text.subarray(0, 16).equals(MODINFO_START)) text = text.subarray(16);
  if (text.subarray(-16).equals(MODINFO_END)) text = text.subarray(0, -16);
  return text.toString('utf8');
}
