import type { ParseResult, VersionScheme } from '../../scheme.js';
import { normalizeComposer } from './normalize.js';

/*
 * Composer orders normalised versions with PHP's version_compare()
 * (Constraint::versionCompare in https://github.com/composer/semver/blob/main/src/Constraint/Constraint.php,
 * version_compare in https://github.com/php/php-src/blob/master/ext/standard/versioning.c).
 * Branches named dev-* never compare to anything there, so they fail to parse here.
 */

/** A version_compare element: a number, or a word ranked by PHP's special forms. */
export type ComposerToken =
  | { readonly kind: 'number'; readonly value: bigint }
  | { readonly kind: 'word'; readonly rank: number };

export interface ComposerVersion {
  /** VersionParser::normalize's output, e.g. "1.0.0.0-beta5". */
  readonly normalized: string;
  readonly tokens: readonly ComposerToken[];
}

type Order = -1 | 0 | 1;

/** strtol() saturates at LONG_MAX, so longer numbers all compare equal to it. */
const LONG_MAX = 2n ** 63n - 1n;
/**
 * version_compare's special forms, matched as prefixes in this order: dev < alpha = a <
 * beta = b < RC = rc < "#" (any number) < pl = p. "patch" ranks as "p"; any other word (only
 * "stable" survives normalisation) ranks below dev.
 */
const FORMS: readonly [string, number][] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const NUMBER_RANK = 4;

function rankWord(word: string): number {
  return FORMS.find(([form]) => word.startsWith(form))?.[1] ?? -1;
}

/**
 * php_canonicalize_version: "-", "_", "+" and any other non-alphanumeric byte separate
 * elements, and so does every switch between digits and non-digits.
 */
function tokenize(normalized: string): ComposerToken[] {
  return (normalized.match(/[0-9]+|[A-Za-z]+/g) ?? []).map((t) => {
    if (!/^[0-9]/.test(t)) return { kind: 'word', rank: rankWord(t) };
    const value = BigInt(t);
    return { kind: 'number', value: value > LONG_MAX ? LONG_MAX : value };
  });
}

function sign(n: number | bigint): Order {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function rank(t: ComposerToken): number {
  return t.kind === 'number' ? NUMBER_RANK : t.rank;
}

/** php_version_compare: element by element; then a longer version's next element decides. */
export function compareComposer(a: ComposerVersion, b: ComposerVersion): Order {
  const n = Math.min(a.tokens.length, b.tokens.length);
  for (let i = 0; i < n; i++) {
    const x = a.tokens[i]!;
    const y = b.tokens[i]!;
    const c = x.kind === 'number' && y.kind === 'number' ? sign(x.value - y.value) : sign(rank(x) - rank(y));
    if (c !== 0) return c;
  }
  // 1.0.0.0.1 > 1.0.0.0 (number), 1.0.0.0-patch1 > 1.0.0.0 (p ranks above a number),
  // 1.0.0.0-beta < 1.0.0.0 (beta ranks below).
  const rest = a.tokens[n] ?? b.tokens[n];
  if (rest === undefined) return 0;
  const longer = sign(rank(rest) - NUMBER_RANK) || (rest.kind === 'number' ? 1 : 0);
  return a.tokens.length > n ? longer : sign(-longer);
}

export function parseComposer(input: string): ParseResult<ComposerVersion> {
  const result = normalizeComposer(input);
  if (!result.ok) return result;
  if (result.normalized.startsWith('dev-')) {
    return { ok: false, reason: `${result.normalized} is a branch: Composer does not order dev-* versions` };
  }
  return { ok: true, value: { normalized: result.normalized, tokens: tokenize(result.normalized) } };
}

export const composer = {
  id: 'composer',
  reference:
    'composer/semver VersionParser::normalize + PHP version_compare (no PHP here: published test vectors)',
  parse: parseComposer,
  compare: compareComposer,
} satisfies VersionScheme<ComposerVersion>;
