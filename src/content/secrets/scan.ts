/**
 * Scans one file's bytes with the secret rules. Pure: no I/O, no logging, and the raw secret
 * never leaves this module (matches carry a redacted form and a fingerprint).
 *
 * Cost is linear in the input: lines are found with native `indexOf`, keywords are searched in
 * lower-cased blocks of lines so a rule's regex only runs on lines holding one of its keywords,
 * every regex is linear by construction (see rules.ts), and a line longer than `maxLineBytes`
 * is scanned in overlapping windows whose overlap exceeds the longest possible match.
 * Text is decoded as latin1: one byte per character, so columns are byte columns and invalid
 * UTF-8 cannot break decoding.
 */
import { createHash } from 'node:crypto';
import { type KeywordIndex, keywordIndexFor } from './keyword-index.js';
import { type SuppressReason, suppressReason } from './noise.js';
import { builtinRules, MAX_MATCH_LENGTH, type Rule, type Severity } from './rules.js';

export interface SecretMatch {
  ruleId: string;
  category: string;
  severity: Severity;
  /** 1-based. */
  line: number;
  /** 1-based byte column of the secret value in its line. */
  column: number;
  /** A few leading characters and `***`, never more than a third of the value. */
  redacted: string;
  /** sha256 hex of ruleId + NUL + value: for exceptions and de-duplication, never displayed. */
  fingerprint: string;
  /** Bytes of the value from `column`: lets `redactText` mask it in place. */
  length: number;
}

export interface SuppressedMatch extends SecretMatch {
  reason: SuppressReason;
}

export interface ScanTextResult {
  matches: SecretMatch[];
  suppressed: SuppressedMatch[];
  skipped?: 'binary' | 'too-large';
  /** Set when `maxMatches` was reached and the rest of the file was not scanned. */
  truncated?: boolean;
}

export interface ScanTextOptions {
  path: string;
  rules?: readonly Rule[];
  /** Longer lines are scanned in windows. */
  maxLineBytes?: number;
  /** Larger files are skipped (`too-large`); no cap when absent. */
  maxFileBytes?: number;
  /** Findings (reported plus suppressed) kept per file. */
  maxMatches?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
export const DEFAULT_MAX_MATCHES = 1000;
/** Git's and grep's heuristic: a NUL byte near the start means binary. */
const BINARY_SNIFF_BYTES = 8 * 1024;

/** True for content every text detector skips (secrets, indicators): a NUL in the first 8 KiB. */
export function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0) !== -1;
}
const BLOCK_BYTES = 4 * 1024 * 1024;
/** Window overlap: longer than any match plus the one character a lookahead reads. */
const OVERLAP = MAX_MATCH_LENGTH + 64;
const FOLLOWING_LINES = 4;

export function redact(value: string): string {
  return `${value.slice(0, Math.min(4, Math.floor(value.length / 3)))}***`;
}

export function fingerprint(ruleId: string, value: string): string {
  return createHash('sha256').update(`${ruleId}\0${value}`, 'latin1').digest('hex');
}

const compiled = new WeakMap<Rule, RegExp>();

/** The rule's regex with the `g` and `d` flags, so group 1's offsets are known. */
function regexOf(rule: Rule): RegExp {
  let re = compiled.get(rule);
  if (re === undefined) {
    const flags = [...new Set(`${rule.regex.flags}gd`)].join('');
    re = new RegExp(rule.regex.source, flags);
    compiled.set(rule, re);
  }
  return re;
}

interface Candidate {
  rule: Rule;
  value: string;
  fingerprintValue: string;
  start: number;
  end: number;
}

class Collector {
  readonly result: ScanTextResult = { matches: [], suppressed: [] };
  constructor(
    readonly bytes: Buffer,
    readonly maxMatches: number,
  ) {}

  get full(): boolean {
    return this.result.matches.length + this.result.suppressed.length >= this.maxMatches;
  }

  private counted = { offset: 0, line: 1 };

  /**
   * The 1-based number of the line starting at byte `offset`. Lines are only counted up to the
   * last finding (asked in increasing order), so files without findings never count lines.
   */
  lineAt(offset: number): number {
    if (offset < this.counted.offset) this.counted = { offset: 0, line: 1 };
    let { line } = this.counted;
    const bytes = this.bytes;
    for (let i = this.counted.offset; i < offset; i++) if (bytes[i] === 0x0a) line++;
    this.counted = { offset, line };
    return line;
  }

  /** Asked where input remains: true (and the result marked truncated) once the cap is reached. */
  stopped(): boolean {
    if (this.full) this.result.truncated = true;
    return this.full;
  }

  /** Scans `text` (or the part starting in [acceptFrom, acceptTo)) with `rules`. */
  scanSegment(text: string, rules: readonly Rule[], at: SegmentPosition): void {
    const claimed: Candidate[] = [];
    for (const rule of rules) {
      for (const m of text.matchAll(regexOf(rule))) {
        const span = m.indices?.[1] ?? m.indices?.[0];
        if (span === undefined || span[0] < at.acceptFrom || span[0] >= at.acceptTo) continue;
        const value = m[1] ?? m[0];
        const verified = rule.verify ? rule.verify(value, { following: at.following() }) : value;
        if (verified === undefined) continue;
        if (claimed.some((c) => c.start < span[1] && span[0] < c.end)) continue;
        claimed.push({ rule, value, fingerprintValue: verified, start: span[0], end: span[1] });
      }
    }
    claimed.sort((a, b) => a.start - b.start);
    for (const c of claimed) {
      if (this.full) {
        this.result.truncated = true;
        return;
      }
      this.add(c, text, at);
    }
  }

  private add(c: Candidate, text: string, at: SegmentPosition): void {
    const match: SecretMatch = {
      ruleId: c.rule.id,
      category: c.rule.category,
      severity: c.rule.severity,
      line: this.lineAt(at.lineOffset),
      column: at.column + c.start + 1,
      redacted: redact(c.value),
      fingerprint: fingerprint(c.rule.id, c.fingerprintValue),
      length: c.end - c.start,
    };
    const reason = suppressReason({ rule: c.rule, value: c.value, line: text, start: c.start, end: c.end });
    if (reason === undefined) this.result.matches.push(match);
    else this.result.suppressed.push({ ...match, reason });
  }
}

interface SegmentPosition {
  /** Byte offset of the line's first byte in the file. */
  lineOffset: number;
  /** Byte column of the segment's first character within its line, 0-based. */
  column: number;
  acceptFrom: number;
  acceptTo: number;
  following: () => readonly string[];
}

export function scanText(bytes: Buffer, opts: ScanTextOptions): ScanTextResult {
  if (opts.maxFileBytes !== undefined && bytes.length > opts.maxFileBytes) {
    return { matches: [], suppressed: [], skipped: 'too-large' };
  }
  if (looksBinary(bytes)) {
    return { matches: [], suppressed: [], skipped: 'binary' };
  }
  const all: readonly Rule[] = opts.rules ?? builtinRules;
  const rules = keywordIndexFor(all, opts.path);
  const collector = new Collector(bytes, opts.maxMatches ?? DEFAULT_MAX_MATCHES);
  if (rules.rules.length === 0) return collector.result;
  const maxLine = Math.max(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, 4 * OVERLAP);

  // Lines are not visited one by one here: a newline within maxLine bytes ahead proves every
  // line up to it short enough, so the loop advances by up to maxLine bytes per native call.
  let blockStart = 0;
  let pos = 0;
  while (pos < bytes.length && !collector.stopped()) {
    if (pos + maxLine >= bytes.length) {
      pos = bytes.length;
      break;
    }
    const newline = bytes.lastIndexOf(0x0a, pos + maxLine);
    if (newline >= pos) {
      pos = newline + 1;
      if (pos - blockStart >= BLOCK_BYTES) {
        scanBlock(collector, rules, blockStart, pos);
        blockStart = pos;
      }
      continue;
    }
    scanBlock(collector, rules, blockStart, pos);
    const next = bytes.indexOf(0x0a, pos);
    const end = next === -1 ? bytes.length : next;
    scanLongLine(collector, rules, { from: pos, to: end, window: longLineWindow(maxLine) });
    pos = end + 1;
    blockStart = pos;
  }
  if (blockStart < bytes.length && !collector.stopped()) {
    scanBlock(collector, rules, blockStart, bytes.length);
  }
  return collector.result;
}

/** Lines [from, to) of the buffer, `to` just after a newline or at the end. */
function scanBlock(collector: Collector, rules: KeywordIndex, from: number, to: number): void {
  if (to <= from) return;
  const text = collector.bytes.toString('latin1', from, to);
  const lower = text.toLowerCase();
  // Lines holding a keyword, found from the hits (no pass over every line): start → rules.
  const wanted = new Map<number, Set<Rule>>();
  let lineStart = -1;
  let lineEnd = -1;
  rules.forEachHit(lower, (at, hitRules) => {
    if (at >= lineEnd) {
      lineStart = text.lastIndexOf('\n', at) + 1;
      const newline = text.indexOf('\n', at);
      lineEnd = newline === -1 ? text.length : newline;
    }
    const set = wanted.get(lineStart) ?? new Set<Rule>();
    for (const r of hitRules) set.add(r);
    wanted.set(lineStart, set);
  });
  for (const [start, set] of wanted) {
    if (collector.stopped()) return;
    const newline = text.indexOf('\n', start);
    let end = newline === -1 ? text.length : newline;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    const lineText = text.slice(start, end);
    collector.scanSegment(
      lineText,
      rules.rules.filter((r) => set.has(r)),
      {
        lineOffset: from + start,
        column: 0,
        acceptFrom: 0,
        acceptTo: lineText.length,
        following: () => followingLines(collector.bytes, from + end),
      },
    );
  }
}

/** A few lines after `offset` (which points at or before a newline), each cut to a sane length. */
function followingLines(bytes: Buffer, offset: number): string[] {
  const out: string[] = [];
  let pos = bytes.indexOf(0x0a, offset);
  while (pos !== -1 && out.length < FOLLOWING_LINES) {
    const start = pos + 1;
    const next = bytes.indexOf(0x0a, start);
    const end = next === -1 ? bytes.length : next;
    out.push(bytes.toString('latin1', start, Math.min(end, start + 256)).replace(/\r$/, ''));
    pos = next;
  }
  return out;
}

/**
 * Windows of long lines are larger than `maxLineBytes` when that is small, so the overlap
 * (decoded twice) stays a small share of the work.
 */
export function longLineWindow(maxLineBytes: number): number {
  return Math.max(maxLineBytes, 16 * OVERLAP);
}

/** The first byte of each window's accepted range, relative to the line: 0, step, 2·step, … */
export function longLineStep(maxLineBytes: number): number {
  return longLineWindow(maxLineBytes) - 2 * OVERLAP;
}

/**
 * One line longer than `maxLineBytes`: each window decodes its accepted range plus OVERLAP bytes on
 * both sides, so lookbehinds see real context and every match starting in the range fits.
 */
function scanLongLine(
  collector: Collector,
  rules: KeywordIndex,
  span: { from: number; to: number; window: number },
): void {
  const { from, to } = span;
  const step = span.window - 2 * OVERLAP;
  for (let s = from; s < to && !collector.stopped(); s += step) {
    const winFrom = Math.max(from, s - OVERLAP);
    const winTo = Math.min(to, s + step + OVERLAP);
    const text = collector.bytes.toString('latin1', winFrom, winTo);
    const lower = text.toLowerCase();
    const present = rules.present(lower);
    if (present.length === 0) continue;
    collector.scanSegment(text, present, {
      lineOffset: from,
      column: winFrom - from,
      acceptFrom: s - winFrom,
      acceptTo: s + step - winFrom,
      following: () => [],
    });
  }
}

/**
 * `text` with every reported secret replaced by its redacted form, for strings that are shown
 * as they are (a layer's `created_by`). Suppressed matches (placeholders, examples) stay.
 */
export function redactText(text: string, rules?: readonly Rule[]): string {
  const bytes = Buffer.from(text, 'latin1');
  const { matches } = scanText(bytes, { path: 'image-config.env', ...(rules ? { rules } : {}) });
  if (matches.length === 0) return text;
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let out = text;
  // From the last match back, so earlier offsets stay valid.
  for (const m of [...matches].reverse()) {
    const start = (lineStarts[m.line - 1] ?? 0) + m.column - 1;
    out = `${out.slice(0, start)}${m.redacted}${out.slice(start + m.length)}`;
  }
  return out;
}
