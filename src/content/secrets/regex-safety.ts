/**
 * A conservative check that a regex runs in linear time on a backtracking engine (V8's).
 * Node has no linear-time engine by default (RE2 is a native add-on we do not ship), so the
 * guarantee comes from the pattern's shape instead:
 * - no quantifier inside a repeated group (`(a+)+`, `(.*)*`, `(a{1,9}){1,9}`): exponential;
 * - no repeated alternation whose branches can start alike (`(a|a)*`, `(a|ab){1,9}`): exponential;
 * - no back-references: not regular at all;
 * - no unbounded repetition (`*`, `+`, `{n,}`): `[a-z]+X` is already quadratic on a long line
 *   without an X, because every start position rescans to the end of the line;
 * - a bounded maximum match length, so the scanner's windows over long lines never cut a match.
 * It rejects some harmless patterns; the message says how to write them instead.
 */
import { MAX_MATCH_LENGTH } from './rules.js';

export type RegexCheck = { ok: true; maxLength: number } | { ok: false; reason: string };

interface Node {
  maxLength: number;
  /** Contains a quantifier that allows more than one repetition. */
  repeats: boolean;
  /** Top-level alternatives' first characters; undefined when one is not a plain literal. */
  firstChars?: (string | undefined)[];
}

type Problem = { rank: number; text: string };

class Parser {
  pos = 0;
  readonly problems: Problem[] = [];
  constructor(readonly src: string) {}

  problem(rank: number, text: string): void {
    this.problems.push({ rank, text: `${text} (at offset ${this.pos})` });
  }

  /** Alternatives up to a ')' or the end. */
  alternation(): Node {
    const branches: Node[] = [];
    const firstChars: (string | undefined)[] = [];
    for (;;) {
      const start = this.pos;
      branches.push(this.sequence());
      firstChars.push(literalFirstChar(this.src.slice(start, this.pos)));
      if (this.src[this.pos] !== '|') break;
      this.pos++;
    }
    const node: Node = {
      maxLength: Math.max(...branches.map((b) => b.maxLength)),
      repeats: branches.some((b) => b.repeats),
    };
    if (branches.length > 1) node.firstChars = firstChars;
    return node;
  }

  sequence(): Node {
    const node: Node = { maxLength: 0, repeats: false };
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const atom = this.quantified(this.atom());
      node.maxLength += atom.maxLength;
      node.repeats ||= atom.repeats;
    }
    return node;
  }

  atom(): Node {
    const c = this.src[this.pos++];
    if (c === '\\') return this.escape();
    if (c === '[') {
      while (this.pos < this.src.length && this.src[this.pos] !== ']') {
        if (this.src[this.pos] === '\\') this.pos++;
        this.pos++;
      }
      this.pos++;
      return { maxLength: 1, repeats: false };
    }
    if (c === '(') return this.group();
    if (c === '^' || c === '$') return { maxLength: 0, repeats: false };
    return { maxLength: 1, repeats: false };
  }

  escape(): Node {
    const c = this.src[this.pos++] ?? '';
    if (/[1-9]/.test(c) || (c === 'k' && this.src[this.pos] === '<')) {
      this.problem(3, 'back-references are not allowed');
    }
    if (c === 'b' || c === 'B') return { maxLength: 0, repeats: false };
    if (c === 'x') this.pos += 2;
    else if (c === 'u')
      this.pos += this.src[this.pos] === '{' ? this.src.indexOf('}', this.pos) - this.pos + 1 : 4;
    else if (c === 'c') this.pos += 1;
    return { maxLength: 1, repeats: false };
  }

  group(): Node {
    const rest = this.src.slice(this.pos, this.pos + 3);
    const ahead = rest.startsWith('?=') || rest.startsWith('?!');
    const behind = rest.startsWith('?<=') || rest.startsWith('?<!');
    const lookaround = ahead || behind;
    if (rest.startsWith('?:') || ahead) this.pos += 2;
    else if (behind) this.pos += 3;
    else if (rest.startsWith('?<')) this.pos = this.src.indexOf('>', this.pos) + 1;
    const inner = this.alternation();
    if (this.src[this.pos] !== ')') this.problem(4, 'unbalanced parenthesis');
    this.pos++;
    return lookaround ? { ...inner, maxLength: 0 } : inner;
  }

  quantified(atom: Node): Node {
    const start = this.pos;
    const q = /^(?:([*+?])|\{(\d{1,6})(,(\d{0,6}))?\})/.exec(this.src.slice(this.pos, this.pos + 16));
    if (q === null) return atom;
    this.pos += q[0].length;
    if (this.src[this.pos] === '?') this.pos++;
    const max = quantifierMax(q);
    if (max <= 1) return { ...atom, maxLength: atom.maxLength * max };
    const text = this.src.slice(start, this.pos);
    if (atom.repeats)
      this.problem(0, `nested quantifier: a repeated group contains another repetition before '${text}'`);
    if (atom.firstChars !== undefined && !distinct(atom.firstChars)) {
      this.problem(1, `repeated alternation '${text}' whose branches can start with the same character`);
    }
    if (max === Number.POSITIVE_INFINITY) {
      this.problem(2, `unbounded repetition '${text}': use a bounded one such as {1,64}`);
      return { maxLength: Number.POSITIVE_INFINITY, repeats: true };
    }
    return { maxLength: atom.maxLength * max, repeats: true };
  }
}

function quantifierMax(q: RegExpExecArray): number {
  if (q[1] === '?') return 1;
  if (q[1] !== undefined) return Number.POSITIVE_INFINITY;
  if (q[3] === undefined) return Number(q[2]);
  return q[4] === '' ? Number.POSITIVE_INFINITY : Number(q[4]);
}

/** The first character of a branch when it is a plain literal (not a class, dot or escape). */
function literalFirstChar(branch: string): string | undefined {
  const c = branch[0];
  return c === undefined || /[\\[.(^$]/.test(c) ? undefined : c.toLowerCase();
}

function distinct(chars: (string | undefined)[]): boolean {
  if (chars.some((c) => c === undefined)) return false;
  return new Set(chars).size === chars.length;
}

export function checkRegexSafety(source: string, flags = ''): RegexCheck {
  try {
    new RegExp(source, flags);
  } catch (err) {
    return { ok: false, reason: `does not compile: ${(err as Error).message}` };
  }
  const parser = new Parser(source);
  const root = parser.alternation();
  if (parser.pos < source.length) parser.problem(4, 'unbalanced parenthesis');
  const worst = parser.problems.sort((a, b) => a.rank - b.rank)[0];
  if (worst !== undefined) return { ok: false, reason: `may take more than linear time: ${worst.text}` };
  if (root.maxLength > MAX_MATCH_LENGTH) {
    return {
      ok: false,
      reason: `can match ${root.maxLength} characters, more than the limit ${MAX_MATCH_LENGTH}`,
    };
  }
  return { ok: true, maxLength: root.maxLength };
}
