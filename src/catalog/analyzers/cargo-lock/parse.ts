/**
 * Cargo.lock (https://doc.rust-lang.org/cargo/guide/cargo-toml-vs-cargo-lock.html; format in
 * cargo's src/cargo/core/resolver/encode.rs): TOML with one `[[package]]` table per resolved
 * crate (`name`, `version`, `source`, `checksum`, `dependencies`), a top-level `version`
 * (3, 4; absent for the v1/v2 formats) and, in v1, a `[metadata]` table of checksums.
 * The whole document is parsed with smol-toml; when that fails, each `[[package]]` block is
 * parsed on its own so one broken block costs that block only (Cargo writes every block as
 * plain `key = value` lines, no multi-line strings, so splitting at the header line is safe).
 */
import { isUtf8 } from 'node:buffer';
import { parse, TomlError } from 'smol-toml';

export interface CrateRecord {
  name: string;
  version: string;
  /** `registry+…`, `sparse+…`, `git+…`; absent for workspace members and path dependencies. */
  source?: string;
  checksum?: string;
  /** 1-based line of the block's `[[package]]` header (0 when the line is unknown). */
  line: number;
}

export interface ParsedLock {
  crates: CrateRecord[];
  problems: Array<{
    line?: number;
    code: 'malformed-record' | 'invalid-utf8' | 'missing-field';
    message: string;
  }>;
}

const HEADER = /^\[\[package\]\][ \t]*(#.*)?\r?$/;
/** Real lock files nest three tables deep at most. */
const MAX_DEPTH = 8;

export function parseCargoLock(bytes: Buffer): ParsedLock {
  const out: ParsedLock = { crates: [], problems: [] };
  if (!isUtf8(bytes))
    out.problems.push({ code: 'invalid-utf8', message: 'not valid UTF-8; bad bytes replaced' });
  const text = bytes.toString('utf8');
  const lines = text.split('\n');
  const starts: number[] = [];
  lines.forEach((line, i) => {
    if (HEADER.test(line)) starts.push(i);
  });
  const whole = parseToml(text);
  if (whole.ok) {
    const tables: unknown[] = Array.isArray(whole.doc.package) ? whole.doc.package : [];
    if (whole.doc.package !== undefined && !Array.isArray(whole.doc.package)) {
      out.problems.push({ code: 'malformed-record', message: '`package` is not an array of tables' });
    }
    for (const [i, table] of tables.entries()) addCrate(out, table, (starts[i] ?? -1) + 1);
    return out;
  }
  out.problems.push({
    line: whole.line,
    code: 'malformed-record',
    message: `${whole.message}; reading block by block`,
  });
  for (let b = 0; b < starts.length; b++) {
    const from = starts[b]!;
    const block = lines.slice(from, starts[b + 1] ?? lines.length).join('\n');
    const parsed = parseToml(block);
    if (!parsed.ok) {
      out.problems.push({
        line: from + parsed.line,
        code: 'malformed-record',
        message: `[[package]] block: ${parsed.message}`,
      });
      continue;
    }
    const tables: unknown = parsed.doc.package;
    if (Array.isArray(tables)) addCrate(out, tables.at(0), from + 1);
  }
  return out;
}

type TomlDoc = Record<string, unknown>;
type TomlParse = { ok: true; doc: TomlDoc } | { ok: false; line: number; message: string };

function parseToml(text: string): TomlParse {
  try {
    return { ok: true, doc: parse(text, { maxDepth: MAX_DEPTH }) };
  } catch (err) {
    if (err instanceof TomlError) return { ok: false, line: err.line, message: firstLine(err.message) };
    return { ok: false, line: 1, message: err instanceof Error ? firstLine(err.message) : String(err) };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.slice(0, 200);
}

function addCrate(out: ParsedLock, table: unknown, line: number): void {
  const at = line > 0 ? line : undefined;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    out.problems.push({ line: at, code: 'malformed-record', message: '[[package]] entry is not a table' });
    return;
  }
  const fields = new Map<string, unknown>(Object.entries(table));
  const get = (key: string): unknown => fields.get(key);
  const name = get('name');
  const version = get('version');
  if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') {
    out.problems.push({
      line: at,
      code: 'missing-field',
      message: '[[package]] without a string name and version',
    });
    return;
  }
  const crate: CrateRecord = { name, version, line };
  const source = get('source');
  const checksum = get('checksum');
  if (typeof source === 'string' && source !== '') crate.source = source;
  if (typeof checksum === 'string') crate.checksum = checksum;
  out.crates.push(crate);
}
