/**
 * Pure parsers for what the YARA 4 command-line tools print (yara(1), yarac(1);
 * https://yara.readthedocs.io/en/v4.2.3/commandline.html). With `-m`, a match is the line
 * `<rule> [<meta>] <file>`, where meta is `key=value` pairs joined by `,`: strings quoted, with
 * `\"`, `\'`, `\\`, `\n`, `\t`, `\r` and octal `\NNN` escapes, numbers and booleans bare (YARA 4.2
 * prints integers as `key =5`). A file that fails prints `error scanning <file>: <reason>` on stderr.
 */
import type { Severity } from '../../model/result.js';
import type { ContentHit } from '../types.js';

export type YaraMeta = Record<string, string>;

export interface YaraMatch {
  rule: string;
  meta: YaraMeta;
}

const SEVERITIES: ReadonlySet<string> = new Set(['critical', 'high', 'medium', 'low']);

/** `meta: severity` (critical/high/medium/low, else high), `category`, `description`. */
export function yaraHit(m: YaraMatch): ContentHit {
  const severity = (m.meta.severity ?? '').toLowerCase();
  return {
    kind: 'threat',
    id: `yara:${m.rule}`,
    engine: 'yara',
    severity: (SEVERITIES.has(severity) ? severity : 'high') as Severity,
    category: m.meta.category || 'yara',
    title: m.meta.description || m.rule,
    evidence: `YARA rule ${m.rule}`,
  };
}

/**
 * One stdout line of `yara -m`, when it names a file whose path starts with `prefix` (the batch
 * directory, which may contain spaces): the file's name within it and the match.
 */
export function parseMatchLine(line: string, prefix: string): { file: string; match: YaraMatch } | undefined {
  const at = line.lastIndexOf(` ${prefix}`);
  if (at < 0) return undefined;
  const file = line.slice(at + 1 + prefix.length);
  const head = /^([A-Za-z_][A-Za-z0-9_]*) \[(.*)\]$/s.exec(line.slice(0, at));
  if (!head) return undefined;
  const meta = parseMeta(head[2] as string);
  return meta ? { file, match: { rule: head[1] as string, meta } } : undefined;
}

/** `a="x\"y",n =5,b=true` → `{a: 'x"y', n: '5', b: 'true'}`; undefined when malformed. */
export function parseMeta(text: string): YaraMeta | undefined {
  const meta: YaraMeta = Object.create(null);
  let i = 0;
  while (i < text.length) {
    const key = /^ *([A-Za-z_][A-Za-z0-9_]*) *= */.exec(text.slice(i));
    if (!key) return undefined;
    i += key[0].length;
    let value: string;
    if (text[i] === '"') {
      const str = readQuoted(text, i + 1);
      if (!str) return undefined;
      [value, i] = str;
    } else {
      const end = text.indexOf(',', i);
      value = text.slice(i, end < 0 ? text.length : end).trim();
      i = end < 0 ? text.length : end;
    }
    // The first of repeated keys wins, as in a rule's own meta order.
    if (!((key[1] as string) in meta)) meta[key[1] as string] = value;
    if (i < text.length && text[i++] !== ',') return undefined;
  }
  return meta;
}

const ESCAPES: Record<string, number> = { n: 0x0a, t: 0x09, r: 0x0d, '"': 0x22, "'": 0x27, '\\': 0x5c };

/**
 * From just after an opening quote: the unescaped string and the index after its closing quote.
 * yara prints other bytes as octal `\NNN` (so UTF-8 text arrives byte by byte) and `\xHH`.
 */
function readQuoted(text: string, from: number): [string, number] | undefined {
  const bytes: number[] = [];
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') return [Buffer.from(bytes).toString('utf8'), i + 1];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const e = text[i + 1] ?? '';
    const octal = /^[0-3][0-7]{2}/.exec(text.slice(i + 1, i + 4));
    const hex = /^x([0-9a-fA-F]{2})/.exec(text.slice(i + 1, i + 4));
    if (octal) bytes.push(Number.parseInt(octal[0], 8));
    else if (hex) bytes.push(Number.parseInt(hex[1] as string, 16));
    else if (e in ESCAPES) bytes.push(ESCAPES[e] as number);
    else return undefined;
    i += octal || hex ? 3 : 1;
  }
  return undefined;
}

/** `error scanning <file>: <reason>` for a file under `prefix`. */
export function parseScanError(line: string, prefix: string): { file: string; reason: string } | undefined {
  const lead = `error scanning ${prefix}`;
  if (!line.startsWith(lead)) return undefined;
  const rest = line.slice(lead.length);
  const colon = rest.indexOf(': ');
  if (colon < 0) return undefined;
  return { file: rest.slice(0, colon), reason: rest.slice(colon + 2) };
}

export interface CompileError {
  file?: string;
  line?: number;
  message: string;
}

/**
 * yarac's first error: `error: <file>(<line>): <message>` (syntax) or
 * `error: rule "<name>" in <file>(<line>): <message>` (semantics).
 */
export function parseCompileError(stderr: string): CompileError {
  const first =
    stderr
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('error')) ?? stderr.trim();
  const m = /^error: (?:rule "([^"]*)" in )?(.+)\((\d+)\): (.*)$/.exec(first);
  if (!m) return { message: first || 'yarac failed without a message' };
  const message = m[1] ? `rule "${m[1]}": ${m[4]}` : (m[4] as string);
  return { file: m[2] as string, line: Number(m[3]), message };
}
