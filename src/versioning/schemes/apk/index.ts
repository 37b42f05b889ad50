import { compareNormalized, compareStrings, type Order } from '../../digits.js';
import type { ParseResult, VersionScheme } from '../../scheme.js';
import { Kind, SUFFIX_NONE, type Token, tokenize } from './tokens.js';

export interface ApkVersion {
  readonly tokens: readonly Token[];
}

function parseApk(input: string): ParseResult<ApkVersion> {
  const tokens = tokenize(input);
  return typeof tokens === 'string' ? { ok: false, reason: tokens } : { ok: true, value: { tokens } };
}

/** token_cmp() of apk-tools for two tokens of the same kind. */
function compareToken(a: Token, b: Token): Order {
  switch (a.kind) {
    case Kind.digit:
      // A later number with a leading zero makes apk compare both as text (Gentoo's rule):
      // 1.05 < 1.5 and 8.2.0015 < 8.2.002.
      if (a.text.charCodeAt(0) === 48 || b.text.charCodeAt(0) === 48) return compareStrings(a.text, b.text);
      return compareNormalized(a.number, b.number);
    case Kind.initialDigit:
    case Kind.suffixNo:
    case Kind.revisionNo:
      return compareNormalized(a.number, b.number);
    case Kind.letter:
      return compareStrings(a.text, b.text);
    case Kind.suffix:
      return a.suffix === b.suffix ? 0 : a.suffix < b.suffix ? -1 : 1;
    default:
      return compareStrings(a.text, b.text);
  }
}

/**
 * apk_version_compare() of apk-tools: walk tokens while both sides have the same kind; when the
 * kinds differ, a pre-release suffix (_alpha, _beta, _pre, _rc) is older, otherwise the side
 * whose next token kind ranks higher (e.g. `end`) is older: 1.0 < 1.0-r1 < 1.0a < 1.0.1.
 */
function compareApk(x: ApkVersion, y: ApkVersion): Order {
  const a = x.tokens;
  const b = y.tokens;
  let k = 0;
  let ta = a[0] as Token;
  let tb = b[0] as Token;
  while (ta.kind === tb.kind && ta.kind < Kind.end) {
    const r = compareToken(ta, tb);
    if (r !== 0) return r;
    k++;
    ta = a[k] as Token;
    tb = b[k] as Token;
  }
  if (ta.kind === tb.kind) return 0;
  if (ta.kind === Kind.suffix && ta.suffix < SUFFIX_NONE) return -1;
  if (tb.kind === Kind.suffix && tb.suffix < SUFFIX_NONE) return 1;
  return ta.kind > tb.kind ? -1 : 1;
}

/** Alpine, Wolfi and Chainguard package versions (apk-tools); see README.md. */
export const apk = {
  id: 'apk',
  reference: 'apk-tools src/version.c (apk version -t) and its test/unit/version.data',
  parse: parseApk,
  compare: compareApk,
} satisfies VersionScheme<ApkVersion>;
