/**
 * The few purl components the matcher reads (the Maven coordinate of a jar, the base of a purl
 * an exception names). Split per the purl specification's parsing order: subpath after `#`,
 * qualifiers after `?`, version after the last `@`, then `pkg:type/namespace…/name`
 * (https://github.com/package-url/purl-spec/blob/main/PURL-SPECIFICATION.rst#how-to-parse-a-purl-string-in-its-components).
 */
export interface PurlBase {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined; // a malformed %-escape: not a purl we can read
  }
}

export function parsePurlBase(purl: string): PurlBase | undefined {
  if (!purl.startsWith('pkg:')) return undefined;
  let rest = purl.slice(4).replace(/^\/+/, '');
  rest = rest.split('#', 1)[0] ?? '';
  rest = rest.split('?', 1)[0] ?? '';
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/')) {
    version = decode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const parts = rest.split('/').filter((p) => p !== '');
  if (parts.length < 2) return undefined;
  const decoded = parts.slice(1).map(decode);
  if (decoded.some((p) => p === undefined)) return undefined;
  const segments = decoded.filter((p): p is string => p !== undefined);
  const name = segments.pop() ?? '';
  const type = (parts[0] ?? '').toLowerCase();
  return {
    type,
    namespace: segments.length > 0 ? segments.join('/') : undefined,
    name,
    version: version || undefined,
  };
}

/** `type/namespace/name` in one comparable spelling (decoded; type lowercase). */
export function purlKey(p: PurlBase): string {
  return [p.type, p.namespace, p.name].filter((s) => s !== undefined).join('/');
}
