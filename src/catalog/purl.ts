/**
 * One Package URL builder, canonical per the purl specification
 * (https://github.com/package-url/purl-spec/blob/main/PURL-SPECIFICATION.rst, "How to build
 * purl string from its components" and "Character encoding"):
 * - the type is lowercase and never encoded;
 * - namespace and subpath are split on `/`, each segment percent-encoded; empty, `.` and `..`
 *   subpath segments are dropped;
 * - every component is UTF-8 then percent-encoded except `A–Z a–z 0–9 . - _ ~` and the colon,
 *   which is never encoded ("whether used as a purl separator or otherwise"); a space is `%20`,
 *   never `+`;
 * - qualifier keys are lowercase, pairs with an empty value are dropped, the rest sorted by key;
 * - type-specific normalisation from PURL-TYPES (deb/apk/alpm names and namespaces are
 *   case-insensitive and lowercased; rpm names are case-sensitive; pypi names per PEP 503).
 */
import { AssayError } from '../model/errors.js';

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Readonly<Record<string, string | undefined>>;
  subpath?: string;
}

const TYPE = /^[a-z.+-][a-z0-9.+-]*$/;
const PLAIN = /^[A-Za-z0-9.\-_~:]*$/;
// Keys: ASCII letters, digits, `.`, `-`, `_`; not starting with a digit.
const QUALIFIER_KEY = /^[a-z.\-_][a-z0-9.\-_]*$/;

export function formatPurl(parts: PurlParts): string {
  const type = parts.type.toLowerCase();
  if (!TYPE.test(type)) throw new AssayError('internal', `purl: invalid type ${JSON.stringify(parts.type)}`);
  const normal = normalise(type, parts);
  const name = trimSlashes(normal.name);
  if (!name) throw new AssayError('internal', `purl: empty name for type ${type}`);
  let purl = `pkg:${type}/`;
  const namespace = segments(normal.namespace ?? '');
  if (namespace.length > 0) purl += `${namespace.map(encodePurlComponent).join('/')}/`;
  purl += encodePurlComponent(name);
  if (parts.version) purl += `@${encodePurlComponent(parts.version)}`;
  const qualifiers = formatQualifiers(parts.qualifiers ?? {});
  if (qualifiers) purl += `?${qualifiers}`;
  const subpath = segments(parts.subpath ?? '').filter((s) => s !== '.' && s !== '..');
  if (subpath.length > 0) purl += `#${subpath.map(encodePurlComponent).join('/')}`;
  return purl;
}

/** Percent-encodes the UTF-8 bytes of `value`, leaving the spec's unencoded set as is. */
export function encodePurlComponent(value: string): string {
  if (PLAIN.test(value)) return value;
  let out = '';
  // Buffer.from replaces lone surrogates with U+FFFD instead of throwing as encodeURIComponent would.
  for (const byte of Buffer.from(value, 'utf8')) {
    out += isUnencoded(byte)
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function isUnencoded(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    byte === 0x2e || // .
    byte === 0x2d || // -
    byte === 0x5f || // _
    byte === 0x7e || // ~
    byte === 0x3a // :
  );
}

function formatQualifiers(qualifiers: Readonly<Record<string, string | undefined>>): string {
  const pairs: Array<[string, string]> = [];
  for (const [rawKey, value] of Object.entries(qualifiers)) {
    if (value === undefined || value === '') continue;
    const key = rawKey.toLowerCase();
    if (!QUALIFIER_KEY.test(key)) throw new AssayError('internal', `purl: invalid qualifier key ${rawKey}`);
    pairs.push([key, value]);
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${encodePurlComponent(value)}`).join('&');
}

function normalise(type: string, parts: PurlParts): { namespace?: string; name: string } {
  const { namespace, name } = parts;
  switch (type) {
    case 'deb':
    case 'apk':
    case 'alpm':
    case 'github':
    case 'bitbucket':
      return { namespace: namespace?.toLowerCase(), name: name.toLowerCase() };
    case 'rpm':
      return { namespace: namespace?.toLowerCase(), name };
    case 'pypi':
      // PEP 503 normalised name: lowercase, runs of `-`, `_`, `.` become one `-`.
      return { namespace, name: name.toLowerCase().replace(/[-_.]+/g, '-') };
    default:
      return { namespace, name };
  }
}

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Only leading and trailing slashes go; an inner `/` is part of the name and gets encoded. */
function trimSlashes(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value[start] === '/') start++;
  while (end > start && value[end - 1] === '/') end--;
  return value.slice(start, end);
}
