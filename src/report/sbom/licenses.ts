/**
 * Licence strings as package databases state them, sorted into what SBOM formats can carry:
 * an SPDX licence identifier, a valid SPDX licence expression (SPDX 2.3 Annex D), or a free
 * name. Only identifiers from a small built-in list count as SPDX ids: a longer list goes stale,
 * and an id the consumer does not know is worse than an honest name.
 */

/** Common identifiers from the SPDX License List (https://spdx.org/licenses/), deprecated `+` forms included. */
export const knownSpdxIds: ReadonlySet<string> = words(`
  0BSD AFL-2.1 AGPL-3.0-only AGPL-3.0-or-later Apache-1.1 Apache-2.0 Artistic-1.0
  Artistic-1.0-Perl Artistic-2.0 BSD-1-Clause BSD-2-Clause BSD-3-Clause BSD-4-Clause BSL-1.0
  CC-BY-4.0 CC-BY-SA-4.0 CC0-1.0 CDDL-1.0 CDDL-1.1 EPL-1.0 EPL-2.0 GFDL-1.3-only GFDL-1.3-or-later
  GPL-1.0+ GPL-2.0 GPL-2.0+ GPL-2.0-only GPL-2.0-or-later GPL-3.0 GPL-3.0+ GPL-3.0-only
  GPL-3.0-or-later ISC LGPL-2.0-only LGPL-2.0-or-later LGPL-2.1 LGPL-2.1+ LGPL-2.1-only
  LGPL-2.1-or-later LGPL-3.0 LGPL-3.0+ LGPL-3.0-only LGPL-3.0-or-later MIT MIT-0 MPL-1.1 MPL-2.0
  OFL-1.1 OpenSSL PSF-2.0 Python-2.0 Ruby Unicode-DFS-2016 Unlicense Vim W3C WTFPL X11 Zlib
  ZPL-2.1 curl libpng-2.0
`);

/** Exceptions that may follow `WITH` (SPDX License Exceptions list). */
const knownExceptions: ReadonlySet<string> = words(`
  Autoconf-exception-3.0 Bison-exception-2.2 Classpath-exception-2.0 GCC-exception-3.1
  LLVM-exception OpenSSL-exception Qt-LGPL-exception-1.1
`);

function words(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

export type LicenseTerm =
  | { kind: 'id'; id: string }
  | { kind: 'expression'; expression: string }
  | { kind: 'name'; name: string };

/**
 * Sorts one licence string. An expression has at least one operator; a lone token is an id
 * only when listed (with an optional `+`, which SPDX expressions allow after any id).
 */
export function classifyLicense(raw: string): LicenseTerm {
  const text = raw.trim();
  if (knownSpdxIds.has(text)) return { kind: 'id', id: text };
  const tokens = tokenize(text);
  if (tokens && tokens.length > 1 && parseExpression(tokens)) return { kind: 'expression', expression: text };
  if (tokens?.length === 1 && isLicenseTerm(text)) return { kind: 'expression', expression: text };
  return { kind: 'name', name: text };
}

function tokenize(text: string): string[] | undefined {
  const tokens = text.replace(/[()]/g, ' $& ').split(/\s+/).filter(Boolean);
  return tokens.length > 0 ? tokens : undefined;
}

/**
 * A `LicenseRef-` is not a term here: it only means something inside the document that defines
 * it, and a package database's string comes from no SPDX document, so it is kept as a name.
 */
function isLicenseTerm(token: string): boolean {
  const id = token.endsWith('+') ? token.slice(0, -1) : token;
  return knownSpdxIds.has(id) || knownSpdxIds.has(token);
}

/**
 * A recursive-descent check of the Annex D grammar over the known ids:
 * `or := and ("OR" and)*`, `and := with ("AND" with)*`, `with := atom ("WITH" exception)?`,
 * `atom := id | "(" or ")"`. Operators are case-sensitive upper case, as the spec recommends.
 */
function parseExpression(tokens: readonly string[]): boolean {
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const parseOr = (): boolean => {
    if (!parseAnd()) return false;
    while (peek() === 'OR') {
      pos++;
      if (!parseAnd()) return false;
    }
    return true;
  };
  const parseAnd = (): boolean => {
    if (!parseWith()) return false;
    while (peek() === 'AND') {
      pos++;
      if (!parseWith()) return false;
    }
    return true;
  };
  const parseWith = (): boolean => {
    if (!parseAtom()) return false;
    if (peek() !== 'WITH') return true;
    pos++;
    const exception = tokens[pos++];
    return exception !== undefined && knownExceptions.has(exception);
  };
  const parseAtom = (): boolean => {
    const token = tokens[pos++];
    if (token === '(') return parseOr() && tokens[pos++] === ')';
    return token !== undefined && isLicenseTerm(token);
  };
  return parseOr() && pos === tokens.length;
}

/** `A OR B` must keep its grouping when it is joined with others by AND. */
export function groupForAnd(term: string): string {
  return /\s(OR|AND)\s/.test(term) ? `(${term})` : term;
}
