/**
 * The os-release format (also used by /etc/lsb-release), per
 * https://www.freedesktop.org/software/systemd/man/latest/os-release.html: newline-separated
 * shell-style `KEY=VALUE` assignments, values optionally in double or single quotes, shell
 * special characters (`$`, quotes, backslash, backtick) escaped with a backslash, `#` comment
 * lines, blank lines ignored, no variable expansion and no concatenated quoted strings.
 * Pure and linear; a bad line is reported and the others are kept.
 */
import { describeLineProblem, type LineProblem, splitLines } from '../../text-lines.js';

export interface KeyValueProblem {
  line: number;
  code: 'malformed-record' | LineProblem;
  message: string;
}

export interface KeyValueFile {
  fields: Map<string, string>;
  problems: KeyValueProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseKeyValueFile(bytes: Buffer): KeyValueFile {
  const fields = new Map<string, string>();
  const problems: KeyValueProblem[] = [];
  for (const line of splitLines(bytes)) {
    if (line.problem) {
      problems.push({ line: line.number, code: line.problem, message: describeLineProblem(line.problem) });
      if (line.problem !== 'invalid-utf8') continue;
    }
    const text = line.text.trim();
    if (text === '' || text.startsWith('#')) continue;
    const equals = text.indexOf('=');
    const key = equals > 0 ? text.slice(0, equals) : '';
    if (!KEY.test(key)) {
      problems.push({ line: line.number, code: 'malformed-record', message: 'not a KEY=VALUE assignment' });
      continue;
    }
    const value = unquote(text.slice(equals + 1));
    if (value.error) problems.push({ line: line.number, code: 'malformed-record', message: value.error });
    // A later assignment wins, as it would when the file is sourced by a shell.
    fields.set(key, value.text);
  }
  return { fields, problems };
}

interface Unquoted {
  text: string;
  error?: string;
}

/** One shell word: `"…"` with backslash escapes, `'…'` verbatim, or a bare word with escapes. */
export function unquote(raw: string): Unquoted {
  const quote = raw[0];
  if (quote === "'") {
    const end = raw.indexOf("'", 1);
    if (end === -1) return { text: raw.slice(1), error: 'unterminated single quote' };
    return withTrailer(raw.slice(1, end), raw.slice(end + 1));
  }
  const doubleQuoted = quote === '"';
  let text = '';
  for (let i = doubleQuoted ? 1 : 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      const next = raw[i + 1]!;
      // In double quotes a backslash only escapes the shell specials; elsewhere it escapes anything.
      if (!doubleQuoted || '$`"\\'.includes(next)) {
        text += next;
        i++;
        continue;
      }
    }
    if (doubleQuoted && c === '"') return withTrailer(text, raw.slice(i + 1));
    if (!doubleQuoted && /\s/.test(c)) return withTrailer(text, raw.slice(i));
    text += c;
  }
  return doubleQuoted ? { text, error: 'unterminated double quote' } : { text };
}

function withTrailer(text: string, trailer: string): Unquoted {
  const rest = trailer.trim();
  if (rest === '' || rest.startsWith('#')) return { text };
  return { text, error: `unexpected text after the value: ${JSON.stringify(rest.slice(0, 40))}` };
}
