import type { ParseResult } from '../../scheme.js';

/** A letter-and-number segment such as `rc1` or `post2`, with the letter already normalised. */
export interface Pep440Segment {
  readonly letter: string;
  readonly number: bigint;
}

/** One parsed PEP 440 version, the same fields as `packaging.version.Version._version`. */
export interface Pep440Version {
  readonly epoch: bigint;
  readonly release: readonly bigint[];
  readonly pre?: Pep440Segment;
  readonly post?: Pep440Segment;
  readonly dev?: bigint;
  readonly local?: readonly (bigint | string)[];
}

/*
 * The pattern of packaging.version.VERSION_PATTERN (packaging 23.0, the Debian
 * python3-packaging package), https://github.com/pypa/packaging/blob/23.0/src/packaging/version.py
 * and PEP 440 Appendix B, https://peps.python.org/pep-0440/#appendix-b-parsing-version-strings-with-regular-expressions.
 * packaging compiles it with re.IGNORECASE; we match it against a case-folded copy of the input
 * (see foldCase) so that the group indices still point into the original string.
 */
const VERSION_BODY = [
  'v?',
  '(?:',
  '(?:(?<epoch>[0-9]+)!)?',
  '(?<release>[0-9]+(?:\\.[0-9]+)*)',
  '(?<pre>[-_.]?(?<preL>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<preN>[0-9]+)?)?',
  '(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?',
  '(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?',
  ')',
  '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?',
].join('');

/** Python's `\s` for str patterns: every character for which str.isspace() is true. */
const PY_SPACE =
  '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

const VERSION_RE = new RegExp(`^${PY_SPACE}*${VERSION_BODY}${PY_SPACE}*$`, 'd');

/*
 * Python's re.IGNORECASE on a str pattern also matches four non-ASCII letters against ASCII
 * ones: U+0130 and U+0131 against "i", U+017F against "s", U+212A (Kelvin) against "k"
 * (https://docs.python.org/3/library/re.html#re.IGNORECASE). Every other non-ASCII character
 * matches nothing in the pattern except the spaces above.
 */
const FOLD: Readonly<Record<string, string>> = { '\u0130': 'i', '\u0131': 'i', '\u017f': 's', '\u212a': 'k' };

function foldCase(input: string): string {
  return input.replace(/[A-Z\u0130\u0131\u017f\u212a]/g, (c) => FOLD[c] ?? c.toLowerCase());
}

/** packaging's _parse_letter: spelling aliases of pre and post letters, implicit number 0. */
function parseLetter(letter: string, digits: string | undefined): Pep440Segment {
  // str.lower() and toLowerCase() apply the same full Unicode mapping (İ becomes "i̇").
  let normal = letter.toLowerCase();
  if (normal === 'alpha') normal = 'a';
  else if (normal === 'beta') normal = 'b';
  else if (normal === 'c' || normal === 'pre' || normal === 'preview') normal = 'rc';
  else if (normal === 'rev' || normal === 'r') normal = 'post';
  return { letter: normal, number: BigInt(digits ?? '0') };
}

/** packaging's _parse_local_version: numeric parts become integers, others lower-case strings. */
function parseLocal(local: string): (bigint | string)[] {
  return local.split(/[-_.]/).map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part.toLowerCase()));
}

export function parsePep440(input: string): ParseResult<Pep440Version> {
  const match = VERSION_RE.exec(foldCase(input));
  const at = match?.indices?.groups;
  if (!match || !at) return { ok: false, reason: 'does not match the PEP 440 version pattern' };
  // Slice the original input: the folded copy has the same length but lost the case.
  const group = (name: string): string | undefined => {
    const span = at[name];
    return span ? input.slice(span[0], span[1]) : undefined;
  };
  const preL = group('preL');
  const postL = group('postL');
  const postN1 = group('postN1');
  const local = group('local');
  const version: Pep440Version = {
    epoch: BigInt(group('epoch') ?? '0'),
    release: (group('release') ?? '0').split('.').map((d) => BigInt(d)),
    ...(preL !== undefined && { pre: parseLetter(preL, group('preN')) }),
    ...(postN1 !== undefined && { post: { letter: 'post', number: BigInt(postN1) } }),
    ...(postL !== undefined && { post: parseLetter(postL, group('postN2')) }),
    ...(group('devL') !== undefined && { dev: BigInt(group('devN') ?? '0') }),
    ...(local !== undefined && { local: parseLocal(local) }),
  };
  return { ok: true, value: version };
}
