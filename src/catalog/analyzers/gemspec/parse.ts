/**
 * Installed gem specifications (`specifications/<name>-<version>[-<platform>].gemspec`) are Ruby
 * source that RubyGems writes with `Gem::Specification#to_ruby_for_cache`
 * (https://github.com/rubygems/rubygems/blob/master/lib/rubygems/specification.rb, `to_ruby`):
 * one `s.<attribute> = <literal>` per line, strings as `"…".freeze` (older RubyGems: `%q{…}`),
 * the version as `"1.2.3"` (hand-written specs: `Gem::Version.new("1.2.3")`), licences as
 * `s.licenses = ["MIT".freeze]` (older: `s.license = "MIT"`). The first line after the encoding
 * comment, `# stub: <name> <version> <platform> <require paths, NUL-separated>`, repeats the
 * identity and is the fallback when an assignment is missing.
 * The file is never evaluated: a small scanner reads string literals only, so a hostile spec can
 * at worst produce an issue. Linear: each line is looked at once, values are scanned once.
 */
import { isUtf8 } from 'node:buffer';

export interface GemspecRecord {
  name?: string;
  version?: string;
  /** `ruby` (the default) is left out. */
  platform?: string;
  licenses: string[];
  /** 1-based line of `s.name`, or of the stub line when that is all there is. */
  line: number;
}

export interface GemspecProblem {
  line?: number;
  code: 'invalid-utf8' | 'invalid-field';
  message: string;
}

const ASSIGNMENT = /^\s*[A-Za-z_]\w*\.(name|version|platform|licenses|license)\s*=\s*/;
const STUB = /^# stub: (\S+) (\S+) (\S+)/;

type Scalar = 'name' | 'version' | 'platform';
interface Assignment {
  attribute: string;
  value: string;
  line: number;
}

export function parseGemspec(bytes: Buffer): { record: GemspecRecord; problems: GemspecProblem[] } {
  const problems: GemspecProblem[] = [];
  if (!isUtf8(bytes))
    problems.push({ code: 'invalid-utf8', message: 'invalid UTF-8 (read with replacement characters)' });
  const { assignments, stub } = scan(bytes.toString('utf8'));
  const record: GemspecRecord = { licenses: [], line: assignments.get('name')?.[0]?.line ?? 1 };
  const invalid = (at: Assignment, what: string): void => {
    problems.push({
      line: at.line,
      code: 'invalid-field',
      message: `${at.attribute} is not ${what}; ignored`,
    });
  };
  // The first assignment that is a literal wins; the unreadable ones before it are reported.
  for (const key of ['name', 'version', 'platform'] as const) {
    for (const at of assignments.get(key) ?? []) {
      const value = readScalar(key, at.value);
      if (value === undefined) {
        invalid(at, 'a string literal');
        continue;
      }
      record[key] = value;
      if (key === 'name') record.line = at.line;
      break;
    }
  }
  for (const at of assignments.get('licenses') ?? []) {
    const list = at.attribute === 'licenses' ? readStringArray(at.value) : wrap(readString(at.value));
    if (!list) {
      invalid(at, 'a list of string literals');
      continue;
    }
    record.licenses = list.filter((l) => l !== '');
    break;
  }
  if (stub) {
    if (record.name === undefined) [record.name, record.line] = [stub.name, stub.line];
    record.version ??= stub.version;
    record.platform ??= stub.platform;
  }
  if (record.platform === 'ruby' || record.platform === '') delete record.platform;
  return { record, problems };
}

/** The assignments of each attribute in order (`license` and `licenses` count as one), and the stub line. */
function scan(text: string): {
  assignments: Map<string, Assignment[]>;
  stub?: { name: string; version: string; platform: string; line: number };
} {
  const assignments = new Map<string, Assignment[]>();
  let stub: { name: string; version: string; platform: string; line: number } | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const stubMatch = i < 3 ? STUB.exec(line) : null;
    if (stubMatch)
      stub = { name: stubMatch[1]!, version: stubMatch[2]!, platform: stubMatch[3]!, line: i + 1 };
    const match = ASSIGNMENT.exec(line);
    if (!match) continue;
    const attribute = match[1]!;
    const key = attribute === 'license' ? 'licenses' : attribute;
    const list = assignments.get(key) ?? [];
    list.push({ attribute, value: line.slice(match[0].length), line: i + 1 });
    assignments.set(key, list);
  }
  return { assignments, stub };
}

function readScalar(key: Scalar, value: string): string | undefined {
  // Hand-written specs say `Gem::Platform::RUBY` for the default platform.
  if (key === 'platform' && /^Gem::Platform::RUBY\b/.test(value)) return 'ruby';
  return readString(value) ?? readVersionNew(value);
}

function wrap(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : [value];
}

/** `Gem::Version.new("1.2.3")` or `Gem::Version.create('1.2.3')`. */
function readVersionNew(value: string): string | undefined {
  const match = /^Gem::Version\.(?:new|create)\s*\(?\s*/.exec(value);
  return match ? scanString(value, skipSpaces(value, match[0].length))?.value : undefined;
}

/** `["a".freeze, 'b', %q{c}]` → the strings; undefined unless every element is a string literal. */
export function readStringArray(value: string): string[] | undefined {
  // A cursor over the one line, never re-slicing the rest: linear in the line's length.
  let at = skipSpaces(value, 0);
  if (value[at] !== '[') return undefined;
  at = skipSpaces(value, at + 1);
  const out: string[] = [];
  while (value[at] !== ']') {
    const scanned = scanString(value, at);
    if (!scanned) return undefined;
    out.push(scanned.value);
    at = skipSpaces(value, skipFreeze(value, scanned.end));
    if (value[at] === ',') at = skipSpaces(value, at + 1);
    else if (value[at] !== ']') return undefined;
  }
  return out;
}

/** One string literal, optionally followed by `.freeze`. */
export function readString(value: string): string | undefined {
  return scanString(value, skipSpaces(value, 0))?.value;
}

function skipSpaces(text: string, at: number): number {
  while (text[at] === ' ' || text[at] === '\t') at++;
  return at;
}

function skipFreeze(text: string, at: number): number {
  return text.startsWith('.freeze', at) ? at + '.freeze'.length : at;
}

const PERCENT_CLOSERS: Readonly<Record<string, string>> = { '{': '}', '<': '>', '(': ')', '[': ']' };

/** Scans `"…"`, `'…'` or `%q`/`%Q` + delimiter at `at`; `end` is just past it. */
function scanString(text: string, at: number): { value: string; end: number } | undefined {
  const first = text[at];
  if (first === '"' || first === "'") return scanQuoted(text, at + 1, first, first === '"');
  const kind = text[at + 1];
  const open = text[at + 2];
  if (first === '%' && (kind === 'q' || kind === 'Q') && open !== undefined) {
    return scanQuoted(text, at + 3, PERCENT_CLOSERS[open] ?? open, kind === 'Q');
  }
  return undefined;
}

function scanQuoted(
  text: string,
  start: number,
  close: string,
  escapes: boolean,
): { value: string; end: number } | undefined {
  const parts: string[] = [];
  let at = start;
  let end = -1;
  for (;;) {
    // Searched again only after an escaped closer, from past it; backslashes are looked for only
    // before the closer. Linear overall.
    if (end < at) end = text.indexOf(close, at);
    if (end === -1) return undefined;
    const segment = text.slice(at, end);
    const offset = segment.indexOf('\\');
    if (offset === -1) {
      parts.push(segment);
      return { value: parts.join(''), end: end + 1 };
    }
    parts.push(segment.slice(0, offset));
    const next = text[at + offset + 1];
    at += offset + 2;
    if (next === undefined) return undefined;
    if (!escapes) {
      parts.push(next === close || next === '\\' ? next : `\\${next}`);
      continue;
    }
    const decoded = readEscape(text, at, next);
    parts.push(decoded.value);
    at += decoded.length;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  e: '\x1b',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  s: ' ',
  '0': '\0',
};
const UNICODE_BRACED = /^\{([0-9A-Fa-f]{1,6})\}/;

/**
 * The escapes `String#dump` writes (RubyGems' `to_ruby` dumps every string): `\uXXXX`,
 * `\u{X…}`, `\xNN`, the single letters, and `\<char>` for itself (`\"`, `\\`, `\#`).
 * `at` is just past the letter; `length` is how many more characters the escape used.
 */
function readEscape(text: string, at: number, letter: string): { value: string; length: number } {
  if (letter === 'u') {
    if (/^[0-9A-Fa-f]{4}$/.test(text.slice(at, at + 4)))
      return { value: String.fromCharCode(Number.parseInt(text.slice(at, at + 4), 16)), length: 4 };
    const braced = UNICODE_BRACED.exec(text.slice(at, at + 9));
    const code = braced ? Number.parseInt(braced[1]!, 16) : Number.NaN;
    if (code <= 0x10ffff) return { value: String.fromCodePoint(code), length: braced![0].length };
  }
  if (letter === 'x' && /^[0-9A-Fa-f]{2}$/.test(text.slice(at, at + 2)))
    return { value: String.fromCharCode(Number.parseInt(text.slice(at, at + 2), 16)), length: 2 };
  return { value: SIMPLE_ESCAPES[letter] ?? letter, length: 0 };
}
