/**
 * Parses `WWW-Authenticate` challenges (RFC 9110 §11.6.1, formerly RFC 7235 §4.1):
 *
 *   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param = token BWS "=" BWS ( token / quoted-string )
 *
 * Several challenges may share one header line (Node joins repeated headers with ", "), so a
 * comma does not end a challenge: a token followed by whitespace and no "=" starts the next
 * one. Quoted values may contain commas (`scope="repository:a/b:pull,push"`) and
 * backslash escapes. Scheme and parameter names are case-insensitive; values are kept as sent.
 */

export interface Challenge {
  /** Lower-cased scheme: `bearer`, `basic`, … */
  scheme: string;
  /** Parameters by lower-cased name. */
  params: Record<string, string>;
}

// RFC 9110 §5.6.2 tchar; token68 additionally allows "/" and trailing "=".
const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;
const QUOTED = /"((?:[^"\\]|\\.)*)"/y;
const WHITESPACE = /[ \t]*/y;
// Unquoted values should be tokens, but some servers send `realm=https://…` bare; accept
// anything up to the next comma or space rather than mis-split it.
const BARE_VALUE = /[^\s,"]+/y;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  match(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m) this.pos = re.lastIndex;
    return m;
  }

  skipSpace(): void {
    this.match(WHITESPACE);
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  done(): boolean {
    return this.pos >= this.text.length;
  }
}

/** Reads `name = value` pairs until the next challenge starts or the text ends. */
function readParams(s: Scanner, params: Record<string, string>): void {
  for (;;) {
    s.skipSpace();
    const start = s.pos;
    const name = s.match(TOKEN)?.[0];
    if (!name) return;
    s.skipSpace();
    if (s.peek() !== '=') {
      s.pos = start; // a bare token after a comma is the next challenge's scheme
      return;
    }
    s.pos++;
    s.skipSpace();
    const quoted = s.match(QUOTED);
    const value = quoted ? (quoted[1] ?? '').replace(/\\(.)/g, '$1') : (s.match(BARE_VALUE)?.[0] ?? '');
    params[name.toLowerCase()] = value;
    s.skipSpace();
    if (s.peek() !== ',') return;
    s.pos++;
  }
}

export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const text = Array.isArray(header) ? header.join(', ') : (header ?? '');
  const s = new Scanner(text);
  const out: Challenge[] = [];
  while (!s.done()) {
    s.skipSpace();
    if (s.peek() === ',') {
      s.pos++;
      continue;
    }
    const scheme = s.match(TOKEN)?.[0];
    if (!scheme) {
      s.pos++; // skip a stray character rather than give up on the rest
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    s.skipSpace();
    const before = s.pos;
    const token68 = s.match(TOKEN68)?.[0];
    s.skipSpace();
    if (token68 && (s.done() || s.peek() === ',') && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(token68)) {
      challenge.params[''] = token68;
      continue;
    }
    s.pos = before;
    readParams(s, challenge.params);
  }
  return out;
}

export interface BearerChallenge {
  realm: string;
  service?: string;
  scope?: string;
}

/** The first usable Bearer challenge (one with a realm), if any. */
export function findBearer(challenges: Challenge[]): BearerChallenge | undefined {
  for (const c of challenges) {
    const realm = c.params.realm;
    if (c.scheme !== 'bearer' || !realm) continue;
    const out: BearerChallenge = { realm };
    if (c.params.service !== undefined) out.service = c.params.service;
    if (c.params.scope !== undefined) out.scope = c.params.scope;
    return out;
  }
  return undefined;
}

export function hasBasic(challenges: Challenge[]): boolean {
  return challenges.some((c) => c.scheme === 'basic');
}
