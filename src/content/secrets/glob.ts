/**
 * Path globs for `allow-paths` and exception targets: `**` crosses directories (`**\/` also
 * matches no directory at all), `*` and `?` stay within one segment, a leading `/` is ignored on
 * both sides. Matched by dynamic programming over (pattern token, path position), so the cost is
 * at most tokens × path length whatever the input — a translated RegExp backtracks badly on
 * `*a*a*b` against a long crafted path, and both globs and paths can come from untrusted places.
 */
type Token =
  | { kind: 'char'; c: string }
  | { kind: 'one' }
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'dirs' };

function tokens(glob: string): Token[] {
  const out: Token[] = [];
  const g = glob.replace(/^\/+/, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      const slash = g[i + 2] === '/';
      out.push({ kind: slash ? 'dirs' : 'any' });
      i += slash ? 2 : 1;
    } else if (c === '*') out.push({ kind: 'star' });
    else if (c === '?') out.push({ kind: 'one' });
    else out.push({ kind: 'char', c });
  }
  return out;
}

export function compileGlob(glob: string): (path: string) => boolean {
  const toks = tokens(glob);
  return (input) => matches(toks, input.replace(/^\/+/, ''));
}

/** `reach[j]`: the tokens so far can consume exactly path[0, j). */
function matches(toks: readonly Token[], path: string): boolean {
  const n = path.length;
  let reach = new Uint8Array(n + 1);
  reach[0] = 1;
  for (const t of toks) {
    const next = new Uint8Array(n + 1);
    let open = false; // a star or any-run that is still extending
    for (let j = 0; j <= n; j++) {
      const c = path[j - 1];
      switch (t.kind) {
        case 'char':
          if (j > 0 && reach[j - 1] && c === t.c) next[j] = 1;
          break;
        case 'one':
          if (j > 0 && reach[j - 1] && c !== '/') next[j] = 1;
          break;
        case 'star':
          // Zero or more characters other than '/'.
          open = reach[j] === 1 || (open && j > 0 && c !== '/');
          if (open) next[j] = 1;
          break;
        case 'any':
          open = reach[j] === 1 || open;
          if (open) next[j] = 1;
          break;
        case 'dirs':
          // Zero or more whole `segment/` prefixes: positions right after a '/', or where it started.
          open = reach[j] === 1 || open;
          if (reach[j] || (open && j > 0 && c === '/')) next[j] = 1;
          break;
      }
    }
    reach = next;
  }
  return reach[n] === 1;
}
