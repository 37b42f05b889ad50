/**
 * Noise control: matches that are real-looking but not secrets. A suppressed match is still
 * returned (with its reason) so callers can count it in a summary line and list it on demand.
 * Users complain most about documented example keys, placeholders in templates and lock-file
 * integrity hashes; those are the cases handled here.
 */
import type { Rule } from './rules.js';

export type SuppressReason = 'example-value' | 'placeholder' | 'integrity-hash' | 'low-entropy';

/** Values published in vendors' documentation. https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html */
// Assembled from parts so that scanners run on this repository do not report the file itself.
export const AWS_EXAMPLE_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
export const AWS_EXAMPLE_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
const DOCUMENTED_EXAMPLES = new Set([AWS_EXAMPLE_KEY_ID, AWS_EXAMPLE_SECRET]);

/** One of these as a whole word (letters on neither side), in any case. */
const EXAMPLE_WORD = /(?:^|[^A-Za-z])(?:example|sample|dummy|fake|test)(?:[^A-Za-z]|$)/i;

const PLACEHOLDER_WORDS = new Set([
  'changeme',
  'change_me',
  'changeit',
  'null',
  'nil',
  'none',
  'undefined',
  'password',
  'passwd',
  'secret',
  'token',
  'redacted',
  'placeholder',
  'empty',
  'true',
  'false',
]);

/** Template and variable syntaxes, `your_…`/`my_…` names, runs of x or masking characters. */
const PLACEHOLDER_SHAPES = [
  /^\$\{[^}]{0,256}\}?/, // ${VAR}
  /^#\{/, // #{var} (Ruby, CoffeeScript interpolation)
  /^\$\(/, // $(command)
  /^\$[A-Za-z_][A-Za-z0-9_]{0,127}(?:::[A-Za-z_][A-Za-z0-9_]{0,127})?$/, // $VAR, OpenSSL's $section::name
  /^%[A-Za-z_(][^%]{0,256}%?/, // %VAR% and %(name)s
  /^<[^>]{0,256}>?$/, // <token>
  /\{\{/, // {{ x }}
  /^(?:your|my|insert|enter|replace)[_-]/i, // YOUR_API_KEY
  /x{6}/i, // xxxxxx… (six: a random base62 token holds four in a row too often)
  /[*•]{3}/, // ****
  /\.{3}/, // …
];

/**
 * Hosts reserved for documentation (RFC 2606, RFC 6761): `user:pass@` in front of them is an
 * example in a comment or manual (`http://john:S3nsit1ve@my.example.com` in Ruby's uri docs).
 */
const EXAMPLE_HOST =
  /^(?:[A-Za-z0-9-]{1,63}\.){0,10}(?:example\.(?:com|org|net)|[A-Za-z0-9-]{1,63}\.(?:example|test|invalid|localhost)|localhost)(?![A-Za-z0-9-])/i;

/** `sha512-` / `sha384-` / `sha256-` Subresource-Integrity values, as in lockfiles. */
const INTEGRITY = /sha(?:512|384|256|1)-[A-Za-z0-9+/]{20,100}={0,2}/g;

/**
 * Shannon entropy threshold, in bits per character, for the free-form assignment rules.
 * Random tokens over base64 score 4.5–6; words, repeated characters and simple patterns
 * (`aaaaaaaa`, `abcabcabc`, `hunter2hunter2`) score under 3. Real passwords made of one
 * repeated word are missed; the rules for structured tokens never use this threshold.
 */
export const MIN_GENERIC_ENTROPY = 3;

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function isPlaceholder(value: string): boolean {
  const bare = value.replace(/^["'`]|["'`,;]$/g, '');
  if (PLACEHOLDER_WORDS.has(bare.toLowerCase())) return true;
  return PLACEHOLDER_SHAPES.some((shape) => shape.test(bare));
}

export function isExampleValue(value: string): boolean {
  return DOCUMENTED_EXAMPLES.has(value) || EXAMPLE_WORD.test(value);
}

/** True when [start, end) of the line lies inside an integrity hash. */
export function isInsideIntegrityHash(line: string, start: number, end: number): boolean {
  if (!line.includes('sha')) return false;
  for (const m of line.matchAll(INTEGRITY)) {
    if (m.index <= start && end <= m.index + m[0].length) return true;
  }
  return false;
}

export interface NoiseInput {
  rule: Rule;
  value: string;
  line: string;
  /** Offsets of the value in the line. */
  start: number;
  end: number;
}

export function suppressReason(input: NoiseInput): SuppressReason | undefined {
  const { rule, value } = input;
  if (isExampleValue(value)) return 'example-value';
  if (isPlaceholder(value)) return 'placeholder';
  if (isInsideIntegrityHash(input.line, input.start, input.end)) return 'integrity-hash';
  if (rule.id === 'url-credentials' && EXAMPLE_HOST.test(input.line.slice(input.end + 1, input.end + 260)))
    return 'example-value';
  if (rule.generic === true && shannonEntropy(value) < MIN_GENERIC_ENTROPY) return 'low-entropy';
  return undefined;
}

/**
 * Test and documentation paths. The integration suppresses matches there in files owned by an
 * OS package (distros ship test keys, e.g. in `/usr/share/doc` or Python's `test/` folders).
 */
const TEST_OR_DOC_PATH = /(?:^|\/)(?:tests?|testdata|testing|fixtures?|examples?|docs?|man)\//;

export function isTestOrDocPath(path: string): boolean {
  return (
    TEST_OR_DOC_PATH.test(path) || path.startsWith('usr/share/doc/') || path.startsWith('/usr/share/doc/')
  );
}
