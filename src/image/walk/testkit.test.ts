/**
 * Shared helpers for the walker's tests (named *.test.ts so the build leaves it out; it holds
 * no tests itself). Real archives come from GNU tar and tar-stream at test time; hostile ones
 * are assembled here header by header, with correct checksums unless a test wants otherwise.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { walkLayer } from './layer-walker.js';
import type { LayerEvent, TarEntry, WalkOptions } from './types.js';

export function tempDir(prefix = 'assay-walk-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes `files` (path → content, or `{ symlink }`) under `root`. */
export function writeTree(root: string, files: Record<string, string | Buffer | { symlink: string }>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) symlinkSync(content.symlink, full);
    else writeFileSync(full, content);
  }
}

/** Runs GNU tar (`tar --format=FORMAT -cf - -C root .` plus `extra` args) and returns the archive. */
export function gnuTar(root: string, format: 'gnu' | 'posix' | 'ustar' | 'v7', extra: string[] = []): Buffer {
  return execFileSync('tar', [`--format=${format}`, '-cf', '-', ...extra, '-C', root, '.'], {
    maxBuffer: 1 << 30,
  });
}

export interface HeaderSpec {
  name: string | Buffer;
  type?: string;
  size?: number;
  linkname?: string;
  mode?: number;
  /** POSIX ustar prefix field (bytes 345..500). */
  prefix?: string;
  /** Corrupt the checksum on purpose. */
  badChecksum?: boolean;
}

/** One 512-byte ustar header. */
export function header(spec: HeaderSpec): Buffer {
  const block = Buffer.alloc(512);
  const name = Buffer.isBuffer(spec.name) ? spec.name : Buffer.from(spec.name);
  name.copy(block, 0, 0, 100);
  octal(block, 100, 8, spec.mode ?? 0o644);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, spec.size ?? 0);
  octal(block, 136, 12, 1_700_000_000);
  block.write(spec.type ?? '0', 156, 'latin1');
  if (spec.linkname) block.write(spec.linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 'latin1');
  if (spec.prefix) block.write(spec.prefix, 345, 155, 'utf8');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  if (spec.badChecksum) sum += 1;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return block;
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, 'latin1');
}

/** Data padded to the next 512-byte boundary. */
export function padded(data: Buffer | string): Buffer {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
}

export function fileEntry(name: string | Buffer, content = '', extra: Partial<HeaderSpec> = {}): Buffer {
  return Buffer.concat([header({ name, size: Buffer.byteLength(content), ...extra }), padded(content)]);
}

/** PAX records (`"%d %s=%s\n"`, the length counting itself). */
export function paxRecords(records: Record<string, string>): string {
  return Object.entries(records)
    .map(([key, value]) => {
      const text = ` ${key}=${value}\n`;
      let length = Buffer.byteLength(text) + 1;
      while (String(length).length + Buffer.byteLength(text) !== length) length++;
      return `${length}${text}`;
    })
    .join('');
}

/** A PAX `x` header carrying `records`, to be placed before the entry it describes. */
export function paxEntry(records: Record<string, string>, type = 'x'): Buffer {
  const body = paxRecords(records);
  return Buffer.concat([header({ name: 'PaxHeaders/x', type, size: Buffer.byteLength(body) }), padded(body)]);
}

/** Entries followed by the two zero blocks that end an archive. */
export function archive(...parts: Buffer[]): Buffer {
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

/** A stream of `data` in chunks of `chunk` bytes, to exercise headers split across chunks. */
export function streamOf(data: Buffer, chunk = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunk) chunks.push(data.subarray(at, at + chunk));
  return Readable.from(chunks, { objectMode: false });
}

export type Seen = { kind: 'entry'; entry: TarEntry; text?: string } | Exclude<LayerEvent, { kind: 'entry' }>;

/** Walks `tar`, reading every offered content as UTF-8 text before advancing. */
export async function collect(tar: Buffer | Readable, opts: Partial<WalkOptions> = {}): Promise<Seen[]> {
  const seen: Seen[] = [];
  const source = Buffer.isBuffer(tar) ? streamOf(tar) : tar;
  for await (const event of walkLayer(source, { wants: () => false, ...opts })) {
    if (event.kind !== 'entry') seen.push(event);
    else if (event.content)
      seen.push({ kind: 'entry', entry: event.entry, text: (await event.content.read()).toString() });
    else seen.push({ kind: 'entry', entry: event.entry });
  }
  return seen;
}

export function entries(seen: Seen[]): TarEntry[] {
  return seen.flatMap((s) => (s.kind === 'entry' ? [s.entry] : []));
}

export function issues(seen: Seen[]): Array<{ code: string; message: string }> {
  return seen.flatMap((s) => (s.kind === 'issue' ? [{ code: s.code, message: s.message }] : []));
}
