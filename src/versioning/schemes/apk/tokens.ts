import { isDigitCode, stripZeros } from '../../digits.js';

/**
 * Token kinds of apk-tools' version grammar
 * `digit{.digit}...{letter}{_suffix{digits}}...{~hash}{-r#}`, in the order apk-tools gives them
 * (src/version.c, enum PARTS): the order itself is part of the comparison rules.
 */
export const Kind = {
  initialDigit: 0,
  digit: 1,
  letter: 2,
  suffix: 3,
  suffixNo: 4,
  commitHash: 5,
  revisionNo: 6,
  end: 7,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** Suffix ranks: pre-release suffixes rank below `none` (no suffix), the others above it. */
export const SUFFIX_NONE = 5;
const SUFFIXES: Readonly<Record<string, number>> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};

export interface Token {
  readonly kind: Kind;
  /** The token's text: digits as written, the letter, the suffix name or the hash. */
  readonly text: string;
  /** For numeric tokens: the digits without leading zeros. */
  readonly number: string;
  /** For suffix tokens: the suffix rank. */
  readonly suffix: number;
}

const END: Token = { kind: Kind.end, text: '', number: '', suffix: 0 };

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isHex(c: number): boolean {
  return isDigitCode(c) || (c >= 97 && c <= 102);
}

function spanWhile(s: string, i: number, accept: (c: number) => boolean): number {
  while (i < s.length && accept(s.charCodeAt(i))) i++;
  return i;
}

function numeric(kind: Kind, text: string): Token {
  return { kind, text, number: stripZeros(text), suffix: 0 };
}

/**
 * Splits a version into tokens following token_first()/token_next() of apk-tools, and returns
 * the reason when apk_version_validate() would reject it. The last token is always `end`.
 */
export function tokenize(s: string): Token[] | string {
  let i = spanWhile(s, 0, isDigitCode);
  if (i === 0) return 'must start with a digit';
  const tokens: Token[] = [numeric(Kind.initialDigit, s.slice(0, i))];
  let prev: Kind = Kind.initialDigit;
  while (i < s.length) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    let token: Token;
    if (isLower(c)) {
      if (prev > Kind.digit) return `letter ${JSON.stringify(ch)} not allowed here`;
      token = { kind: Kind.letter, text: ch ?? '', number: '', suffix: 0 };
      i++;
    } else if (ch === '.' || isDigitCode(c)) {
      if (ch === '.' && prev > Kind.digit) return 'dot not allowed after a letter or suffix';
      if (ch === '.') i++;
      const kind = prev <= Kind.digit ? Kind.digit : prev === Kind.suffix ? Kind.suffixNo : undefined;
      const end = spanWhile(s, i, isDigitCode);
      if (kind === undefined || end === i) return 'digits expected';
      token = numeric(kind, s.slice(i, end));
      i = end;
    } else if (ch === '_') {
      if (prev > Kind.suffixNo) return 'suffix not allowed here';
      const end = spanWhile(s, i + 1, isLower);
      const name = s.slice(i + 1, end);
      const rank = SUFFIXES[name];
      if (rank === undefined) return `unknown suffix ${JSON.stringify(`_${name}`)}`;
      token = { kind: Kind.suffix, text: name, number: '', suffix: rank };
      i = end;
    } else if (ch === '~') {
      const end = spanWhile(s, i + 1, isHex);
      if (prev >= Kind.commitHash || end === i + 1) return 'invalid commit hash';
      token = { kind: Kind.commitHash, text: s.slice(i + 1, end), number: '', suffix: 0 };
      i = end;
    } else if (ch === '-' && s[i + 1] === 'r' && prev < Kind.revisionNo) {
      const end = spanWhile(s, i + 2, isDigitCode);
      if (end === i + 2) return 'revision number expected after -r';
      token = numeric(Kind.revisionNo, s.slice(i + 2, end));
      i = end;
    } else {
      return `unexpected ${JSON.stringify(ch)}`;
    }
    tokens.push(token);
    prev = token.kind;
  }
  tokens.push(END);
  return tokens;
}
