/**
 * Repository patterns of exceptions: `*` matches within one path segment, `**` across segments
 * (`docker.io/library/*`, `ghcr.io/acme/**`), everything else literally. Compiled to a regular
 * expression made only of literals, `[^/]*` and `.*`, which run in linear time.
 */
const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
      while (pattern[i + 1] === '*') i++;
    } else if (ch === '*') source += '[^/]*';
    else source += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function matchesRepository(pattern: string, candidates: readonly string[]): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = compile(pattern.trim());
    cache.set(pattern, re);
  }
  return candidates.some((c) => c !== '' && re.test(c));
}
