/**
 * SHA-256 deny-lists: files whose hash a threat feed (or the user) lists as malicious.
 *
 * Two formats, told apart by the first line that is not blank or a comment:
 * - hash lines: `[sha256:]<64 hex>` optionally followed by whitespace and a name or note
 *   (so `sha256sum` output is a valid list);
 * - CSV (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180) with a header that has a `sha256`
 *   or `sha256_hash` column; the first usable value of the optional `name`, `signature`, `file_name` columns is the name.
 *   MalwareBazaar exports (https://bazaar.abuse.ch/export/) comment their header out
 *   (`# "first_seen_utc","sha256_hash",…`), so a commented header right before the first data
 *   line counts too. Quoted fields may not span lines (an unterminated quote is an error).
 * `#` comment lines and blank lines are ignored everywhere. A malformed line is an error naming
 * the file and line: a typo must not silently drop the rest of a list.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AssayError, ioError } from '../../model/errors.js';
import type { ContentHit, DenyList, DenyListEntry } from '../types.js';

/** Longer lines are rejected: no legitimate hash line or feed row comes near it. */
export const MAX_LINE_LENGTH = 4096;

const HEX64 = /^[0-9a-f]{64}$/;
const HASH_COLUMNS = new Set(['sha256', 'sha256_hash']);
const NAME_COLUMNS = ['name', 'signature', 'file_name'];
/** Values that mean "no name" in feeds (MalwareBazaar writes `n/a`). */
const NO_NAME = new Set(['', 'n/a', 'null', 'none', '-']);

interface Line {
  n: number;
  text: string;
  tooLong: boolean;
}

interface CsvHeader {
  hash: number;
  /** Name columns in order of preference; a row's first usable value is its name. */
  names: number[];
}

/** Parses one list; entries' `source` is `file`. Throws AssayError 'invalid-input' on a bad line. */
export function parseDenyList(text: string | Buffer, file: string): DenyList {
  const out = new Map<string, DenyListEntry>();
  let header: CsvHeader | undefined;
  let decided = false;
  let lastComment: Line | undefined;
  for (const line of lines(text)) {
    if (line.tooLong) fail(file, line, `line longer than ${MAX_LINE_LENGTH} characters`);
    const trimmed = line.text.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      if (!decided) lastComment = line;
      continue;
    }
    if (!decided) {
      decided = true;
      const own = csvHeader(file, line, trimmed);
      if (own !== undefined) {
        header = own;
        continue;
      }
      header = commentedHeader(file, lastComment);
    }
    const [hash, name] = header === undefined ? hashLine(file, line, trimmed) : csvRow(file, line, header);
    if (!out.has(hash)) out.set(hash, name === undefined ? { source: file } : { name, source: file });
  }
  return out;
}

/** Merges lists in order; for a hash on several lists, the first list's entry wins. */
export function mergeDenyLists(lists: readonly DenyList[]): DenyList {
  const nonEmpty = lists.filter((l) => l.size > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? new Map();
  const merged = new Map<string, DenyListEntry>();
  for (const list of nonEmpty)
    for (const [hash, entry] of list) if (!merged.has(hash)) merged.set(hash, entry);
  return merged;
}

/** Reads and merges lists in order (`mergeDenyLists`). */
export async function readDenyLists(files: readonly string[]): Promise<DenyList> {
  const lists: DenyList[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AssayError('not-found', `threat hash list ${file}: no such file`, { cause: err });
      }
      throw ioError(`threat hash list ${file}`, err);
    }
    lists.push(parseDenyList(bytes, file));
  }
  return mergeDenyLists(lists);
}

/** A hit when `sha256` (any case) is on the list. */
export function hashHits(sha256: string, list: DenyList): ContentHit[] {
  const hash = sha256.toLowerCase();
  const entry = list.get(hash);
  if (entry === undefined) return [];
  return [
    {
      kind: 'threat',
      id: 'hash-denylist',
      title: 'File on a SHA-256 threat deny-list',
      category: 'malware',
      severity: 'critical',
      engine: 'hash-list',
      sha256: hash,
      evidence: entry.name ?? `listed in ${basename(entry.source)}`,
    },
  ];
}

/** Lines of a string or of bytes (decoded as UTF-8 one line at a time, so no giant string). */
function* lines(src: string | Buffer): Generator<Line> {
  const nl = typeof src === 'string' ? '\n' : 10;
  let pos = 0;
  // A trailing newline yields one last empty line: harmless, blank lines are skipped.
  for (let n = 1; pos <= src.length; n++) {
    let end = typeof src === 'string' ? src.indexOf(nl as string, pos) : src.indexOf(nl as number, pos);
    if (end === -1) end = src.length;
    const tooLong = end - pos > MAX_LINE_LENGTH + 1;
    const raw = tooLong ? '' : typeof src === 'string' ? src.slice(pos, end) : src.toString('utf8', pos, end);
    yield { n, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, tooLong };
    pos = end + 1;
  }
}

function hashLine(file: string, line: Line, trimmed: string): [string, string | undefined] {
  const m = /^(\S+)(?:\s+(.*))?$/.exec(trimmed);
  const token = m?.[1] ?? '';
  const hash = normaliseHash(token);
  if (hash === undefined) fail(file, line, describeBadHash(token));
  const name = m?.[2]?.trim();
  return [hash, name === undefined || NO_NAME.has(name.toLowerCase()) ? undefined : name];
}

function csvRow(file: string, line: Line, header: CsvHeader): [string, string | undefined] {
  const fields = splitCsv(file, line);
  const token = fields[header.hash]?.trim();
  if (token === undefined || token === '') fail(file, line, `no value in sha256 column ${header.hash + 1}`);
  const hash = normaliseHash(token);
  if (hash === undefined) fail(file, line, describeBadHash(token));
  const name = header.names.map((i) => fields[i]?.trim() ?? '').find((v) => !NO_NAME.has(v.toLowerCase()));
  return [hash, name];
}

/** The header when `trimmed` is a CSV header line (a field named sha256 or sha256_hash). */
function csvHeader(file: string, line: Line, trimmed: string): CsvHeader | undefined {
  if (!/sha256/i.test(trimmed) || HEX64.test(normaliseHash(trimmed.split(/\s/)[0] ?? '') ?? '')) {
    return undefined;
  }
  const names = splitCsv(file, { ...line, text: trimmed }).map((f) => f.trim().toLowerCase());
  const hash = names.findIndex((f) => HASH_COLUMNS.has(f));
  if (hash === -1) return undefined;
  return { hash, names: NAME_COLUMNS.map((c) => names.indexOf(c)).filter((i) => i !== -1) };
}

function commentedHeader(file: string, comment: Line | undefined): CsvHeader | undefined {
  if (comment === undefined) return undefined;
  const text = comment.text.trim().replace(/^#+/, '').trim();
  return text.includes(',') ? csvHeader(file, comment, text) : undefined;
}

/**
 * RFC 4180 fields of one line. Whitespace around a quoted field is skipped, as MalwareBazaar
 * separates its quoted fields with `", "`.
 */
function splitCsv(file: string, line: Line): string[] {
  const s = line.text;
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    let value = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        const q = s.indexOf('"', i);
        if (q === -1) fail(file, line, 'unterminated quoted field');
        value += s.slice(i, q);
        i = q + 1;
        if (s[i] !== '"') break;
        value += '"';
        i++;
      }
      while (s[i] === ' ' || s[i] === '\t') i++;
      if (i < s.length && s[i] !== ',') fail(file, line, `text after a closing quote at column ${i + 1}`);
    } else {
      const comma = s.indexOf(',', i);
      value = s.slice(i, comma === -1 ? s.length : comma);
      i = comma === -1 ? s.length : comma;
    }
    fields.push(value);
    if (i >= s.length) return fields;
    i++; // the comma
  }
}

function normaliseHash(token: string): string | undefined {
  const hex = token.replace(/^sha256:/i, '').toLowerCase();
  return HEX64.test(hex) ? hex : undefined;
}

function describeBadHash(token: string): string {
  const hex = token.replace(/^sha256:/i, '');
  if (/^[0-9a-fA-F]+$/.test(hex)) {
    const kind = { 32: ' (an MD5?)', 40: ' (a SHA-1?)', 128: ' (a SHA-512?)' }[hex.length] ?? '';
    return `expected a SHA-256 (64 hex digits), got ${hex.length} hex digits${kind}`;
  }
  return 'expected a SHA-256 (64 hex digits)';
}

function fail(file: string, line: Line, what: string): never {
  const excerpt = line.tooLong ? '' : ` (${shorten(line.text)})`;
  throw new AssayError('invalid-input', `threat hash list ${file} line ${line.n}: ${what}${excerpt}`);
}

/** At most 60 characters, control characters shown as `?` so the message stays one line. */
function shorten(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
  return cut.replace(/[\u0000-\u001f\u007f]/g, '?');
}
