/**
 * dpkg's status database: RFC 822-style paragraphs ("stanzas") separated by blank lines,
 * `Field: value` lines, continuation lines starting with a space or tab, field names
 * case-insensitive (deb822(5): https://manpages.debian.org/bookworm/dpkg-dev/deb822.5.en.html;
 * the status file: https://manpages.debian.org/bookworm/dpkg/dpkg.1.en.html#INFORMATION_ABOUT_PACKAGES).
 * Pure and linear: one pass over the lines, only the fields Assay uses are kept (a long
 * `Description` or `Conffiles` costs a scan, not memory), and bad lines are reported and skipped.
 */
import { describeLineProblem, type LineProblem, splitLines } from '../../text-lines.js';

/** One stanza, fields keyed by lowercase name, with the line each began on. */
export interface Stanza {
  line: number;
  fields: Map<string, string>;
}

export interface StanzaProblem {
  line: number;
  code: 'malformed-record' | LineProblem;
  message: string;
}

export interface ParsedStanzas {
  stanzas: Stanza[];
  problems: StanzaProblem[];
}

/** The fields the dpkg analyzer reads; everything else is skipped while parsing. */
export const KEPT_FIELDS: ReadonlySet<string> = new Set([
  'package',
  'status',
  'version',
  'architecture',
  'source',
  'multi-arch',
  'maintainer',
  'installed-size',
]);

export function parseStanzas(bytes: Buffer, kept: ReadonlySet<string> = KEPT_FIELDS): ParsedStanzas {
  const stanzas: Stanza[] = [];
  const problems: StanzaProblem[] = [];
  let stanza: Stanza | undefined;
  let field: string | undefined;
  const problem = (line: number, code: StanzaProblem['code'], message: string): void => {
    problems.push({ line, code, message });
  };
  for (const line of splitLines(bytes)) {
    if (line.problem) problem(line.number, line.problem, describeLineProblem(line.problem));
    if (line.problem && line.problem !== 'invalid-utf8') continue;
    const text = line.text;
    if (text.trim() === '') {
      if (stanza) stanzas.push(stanza);
      stanza = undefined;
      field = undefined;
    } else if (text[0] === ' ' || text[0] === '\t') {
      if (!stanza || !field) problem(line.number, 'malformed-record', 'continuation line outside a field');
      else if (kept.has(field)) stanza.fields.set(field, `${stanza.fields.get(field)}\n${text.trim()}`);
    } else if (text[0] !== '#') {
      const colon = text.indexOf(':');
      if (colon <= 0) {
        problem(line.number, 'malformed-record', 'neither "Field: value" nor a continuation line');
        continue;
      }
      stanza ??= { line: line.number, fields: new Map() };
      field = text.slice(0, colon).trim().toLowerCase();
      if (!kept.has(field)) continue;
      if (stanza.fields.has(field))
        problem(line.number, 'malformed-record', `field ${field} repeated; last one kept`);
      stanza.fields.set(field, text.slice(colon + 1).trim());
    }
  }
  if (stanza) stanzas.push(stanza);
  return { stanzas, problems };
}
