/**
 * Built-in threat indicators in text: crypto-miner pool URLs and configurations in any text
 * file, reverse-shell one-liners in scripts and image history commands. The rules are in
 * indicator-rules.ts; this is the linear-time driver (../secrets/README.md "Linear-time
 * discipline"): binary files are skipped; one regex alternation of every keyword, searched
 * forward, jumps from one line holding a keyword to the next (most files end at the first
 * search); there, each rule with a keyword in the line runs its bounded patterns, long lines
 * in overlapping windows.
 */
import { literalTrieSource } from '../secrets/keyword-index.js';
import { looksBinary } from '../secrets/scan.js';
import type { ContentHit } from '../types.js';
import {
  type LineRule,
  lineRules,
  MAX_INDICATOR_MATCH,
  minerConfig,
  SCRIPT_WINDOW_LINES,
  scriptMarkers,
} from './indicator-rules.js';

/** Lines longer than this are scanned in windows of this size overlapping by the longest match. */
export const INDICATOR_WINDOW = 8 * 1024;
/** More hits than this in one file are not reported (a miner's docs list hundreds of pools). */
export const MAX_INDICATOR_HITS = 100;

type Id = 'reverse-shell' | 'miner-pool-url' | 'miner-config';
const TITLES: Record<Id, Omit<ContentHit, 'kind' | 'id' | 'engine'>> = {
  'reverse-shell': { title: 'Reverse shell command', category: 'backdoor', severity: 'critical' },
  'miner-pool-url': { title: 'Crypto-miner pool URL', category: 'crypto-miner', severity: 'high' },
  'miner-config': { title: 'Crypto-miner configuration', category: 'crypto-miner', severity: 'high' },
};

/** Indicators in one file's bytes; `path` (no leading `/`) decides whether it is a script. */
export function scanIndicators(bytes: Buffer, path: string): ContentHit[] {
  if (looksBinary(bytes)) return [];
  // latin1: one character per byte, so offsets are byte columns and lower-casing keeps lengths.
  const text = bytes.toString('latin1');
  const script = isScriptPath(path) || text.startsWith('#!');
  const lower = text.toLowerCase();
  const hits = scanLines(text, lower, script);
  const config = findMinerConfig(lower);
  if (config !== undefined && hits.length < MAX_INDICATOR_HITS) hits.push(config);
  return hits;
}

/** Indicators in a shell command (a history `created_by`, a RUN line); columns count UTF-8 bytes. */
export function scanCommand(text: string): ContentHit[] {
  const latin1 = Buffer.from(text, 'utf8').toString('latin1');
  return scanLines(latin1, latin1.toLowerCase(), true);
}

const SCRIPT_EXTENSIONS = /\.(?:sh|bash|zsh|ksh|py|pl|rb|php)$/;
const SCRIPT_DIRS =
  /^(?:etc\/(?:cron|init\.d\/|rc|profile\.d\/|systemd\/)|var\/spool\/cron\/|(?:usr\/)?lib\/systemd\/)/;
const SHELL_STARTUP =
  /(?:^|\/)(?:\.bashrc|\.bash_profile|\.bash_login|\.profile|\.zshrc|bash\.bashrc|profile)$/;

/** Where reverse-shell rules apply (besides any file starting with `#!`). */
export function isScriptPath(path: string): boolean {
  const p = path.replace(/^\.?\/+/, '').toLowerCase();
  return SCRIPT_EXTENSIONS.test(p) || SCRIPT_DIRS.test(p) || SHELL_STARTUP.test(p);
}

/** Finds the next occurrence of any of `keywords` (set `lastIndex` first). */
const anyOf = (keywords: readonly string[]): RegExp =>
  new RegExp(literalTrieSource([...new Set(keywords)]), 'g');
const SCRIPT_KEYWORDS = anyOf([...lineRules.flatMap((r) => r.keywords), ...scriptMarkers.keywords]);
const TEXT_KEYWORDS = anyOf(lineRules.filter((r) => !r.scriptsOnly).flatMap((r) => r.keywords));

interface Scan {
  text: string;
  lower: string;
  rules: LineRule[];
  /** Script markers (socket, wiring, shell) apply. */
  markers: boolean;
  hits: ContentHit[];
  /** Pool URLs already reported in this file. */
  seen: Set<string>;
  /** Line of the last socket marker, and of wiring and a shell seen at or after it. */
  lastSocket: number;
  lastWire: number;
  lastShell: number;
}

function scanLines(text: string, lower: string, script: boolean): ContentHit[] {
  const keywords = script ? SCRIPT_KEYWORDS : TEXT_KEYWORDS;
  const never = -1e9;
  const scan: Scan = {
    text,
    lower,
    rules: lineRules.filter((r) => script || !r.scriptsOnly),
    markers: script,
    hits: [],
    seen: new Set(),
    lastSocket: never,
    lastWire: never,
    lastShell: never,
  };
  let line = 1;
  for (let start = 0; start <= lower.length && scan.hits.length < MAX_INDICATOR_HITS; line++) {
    // Jump to the next line with a keyword (one regex pass over the file in all), unless the
    // script markers need the lines just after a socket. Most files end at the first jump.
    if (line - scan.lastSocket >= SCRIPT_WINDOW_LINES) {
      keywords.lastIndex = start;
      const found = keywords.exec(lower);
      if (found === null) break;
      const lineStart = lower.lastIndexOf('\n', found.index) + 1;
      line += countNewlines(lower, start, lineStart);
      start = lineStart;
    }
    let end = lower.indexOf('\n', start);
    if (end === -1) end = lower.length;
    scanLine(scan, start, end, line);
    start = end + 1;
  }
  return scan.hits.slice(0, MAX_INDICATOR_HITS);
}

/** One line, or its windows when long; each rule reports at most once per line. */
function scanLine(scan: Scan, start: number, end: number, line: number): void {
  let done = 0; // bit r set: rule r has reported on this line (a bit set, not a Set: no garbage per line)
  const step = INDICATOR_WINDOW - MAX_INDICATOR_MATCH;
  for (let at = start; ; at += step) {
    const stop = Math.min(end, at + INDICATOR_WINDOW);
    const window = scan.lower.slice(at, stop);
    for (let r = 0; r < scan.rules.length; r++) {
      const rule = scan.rules[r] as LineRule;
      if ((done & (1 << r)) !== 0 || !hasKeyword(window, rule.keywords)) continue;
      if (matchRule(scan, rule, window, at, start, line)) done |= 1 << r;
    }
    if (scan.markers) matchMarkers(scan, window, at, start, line);
    if (stop >= end) break;
  }
}

function hasKeyword(window: string, keywords: readonly string[]): boolean {
  for (const k of keywords) if (window.includes(k)) return true;
  return false;
}

function matchRule(
  scan: Scan,
  rule: LineRule,
  window: string,
  at: number,
  lineStart: number,
  line: number,
): boolean {
  const [first, ...rest] = rule.patterns;
  const m = first?.exec(window);
  if (!m || !rest.every((p) => p.test(window))) return false;
  const column = at + m.index - lineStart + 1;
  if (rule.id === 'miner-pool-url') {
    const evidence = `${m[1]}://${m[2]}`; // scheme and host:port only: never the user info
    if (!scan.seen.has(evidence)) scan.hits.push(hit(rule.id, line, column, evidence));
    scan.seen.add(evidence);
    return true;
  }
  // The command from the match on (a rule's first pattern may match only a part of it).
  const from = at + m.index;
  pushShell(scan, line, column, scan.text.slice(from, Math.min(from + 200, at + window.length)));
  return true;
}

/** At most one reverse-shell hit per line, whichever rule saw it first. */
function pushShell(scan: Scan, line: number, column: number, command: string): void {
  const last = scan.hits.at(-1);
  if (last?.id === 'reverse-shell' && last.line === line) return;
  scan.hits.push(hit('reverse-shell', line, column, excerpt(command.trim())));
}

/**
 * A socket, then stdio wiring and a shell on the same line or within the next few: one hit,
 * then the state resets. (Socket first: every script form opens it before wiring it.)
 */
function matchMarkers(scan: Scan, window: string, at: number, lineStart: number, line: number): void {
  const socket = scriptMarkers.socket.exec(window);
  if (socket) scan.lastSocket = line;
  if (line - scan.lastSocket >= SCRIPT_WINDOW_LINES) return;
  if (scriptMarkers.wire.test(window)) scan.lastWire = line;
  if (scriptMarkers.shell.test(window)) scan.lastShell = line;
  if (scan.lastWire < scan.lastSocket || scan.lastShell < scan.lastSocket) return;
  const column = socket ? at + socket.index - lineStart + 1 : 1;
  pushShell(scan, line, column, scan.text.slice(lineStart, Math.min(lineStart + 200, at + window.length)));
  scan.lastSocket = scan.lastWire = scan.lastShell = -1e9;
}

/** The XMRig-style rule of indicator-rules.ts, over the whole file. */
function findMinerConfig(lower: string): ContentHit | undefined {
  const pools = findKey(lower, minerConfig.pools);
  if (pools === undefined) return undefined;
  const found = minerConfig.markers.filter((m) => findKey(lower, m) !== undefined).map((m) => m.keyword);
  if (found.length === 0) return undefined;
  const before = lower.lastIndexOf('\n', pools);
  const line = countNewlines(lower, 0, pools) + 1;
  return hit('miner-config', line, pools - before, `"pools" with ${found.join(', ')}`);
}

/** Offset of the first `keyword` occurrence where `sticky` matches, trying at most 1000. */
function findKey(lower: string, key: { keyword: string; sticky: RegExp }): number | undefined {
  let from = 0;
  for (let tries = 0; tries < 1000; tries++) {
    const at = lower.indexOf(key.keyword, from);
    if (at === -1) return undefined;
    key.sticky.lastIndex = at;
    if (key.sticky.test(lower)) return at;
    from = at + 1;
  }
  return undefined;
}

/** Newlines in `text` from `from` (inclusive) to `to` (exclusive). */
function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function hit(id: Id, line: number, column: number, evidence: string): ContentHit {
  return { kind: 'threat', id, ...TITLES[id], engine: 'builtin', line, column, evidence };
}

/** At most 120 characters on one line, control characters as `?`. */
function excerpt(text: string): string {
  const cut = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
  return cut.replace(/[\u0000-\u001f\u007f]/g, '?');
}
