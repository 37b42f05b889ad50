/**
 * Reads a Package URL back into its parts (the inverse of `catalog/purl.ts`), per the purl
 * specification's "How to parse a purl string in its components"
 * (https://github.com/package-url/purl-spec/blob/main/PURL-SPECIFICATION.rst). Lenient where
 * real SBOMs are (a `pkg://` prefix, an unencoded `+` in a version), strict where a wrong guess
 * would mis-match (no type, no name, broken percent-encoding).
 */
import type { PurlParts } from '../catalog/purl.js';

export interface ParsedPurl extends PurlParts {
  qualifiers: Record<string, string>;
}

export type PurlResult = { ok: true; purl: ParsedPurl } | { ok: false; reason: string };

export function parsePurl(text: string): PurlResult {
  if (!text.startsWith('pkg:')) return { ok: false, reason: 'does not start with "pkg:"' };
  let rest = text.slice(4).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const value = decode(pair.slice(eq + 1));
      if (value === undefined) return { ok: false, reason: `bad percent-encoding in qualifier ${pair}` };
      if (value !== '') qualifiers[pair.slice(0, eq).toLowerCase()] = value;
    }
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) return { ok: false, reason: 'no type' };
  const type = rest.slice(0, slash).toLowerCase();
  rest = rest.slice(slash + 1).replace(/\/+$/, '');
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    version = decode(rest.slice(at + 1));
    if (version === undefined) return { ok: false, reason: 'bad percent-encoding in version' };
    rest = rest.slice(0, at);
  }
  const segments = rest.split('/').filter((s) => s !== '');
  const decoded = segments.map(decode);
  if (decoded.some((s) => s === undefined)) return { ok: false, reason: 'bad percent-encoding in name' };
  const parts = decoded as string[];
  const name = parts.pop();
  if (!name) return { ok: false, reason: 'no name' };
  const purl: ParsedPurl = { type, name, qualifiers };
  if (parts.length > 0) purl.namespace = parts.join('/');
  if (version) purl.version = version;
  if (subpath) purl.subpath = subpath;
  return { ok: true, purl };
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
