/**
 * Python core metadata (`METADATA`, `PKG-INFO`): RFC 822 email headers, then an optional body
 * holding the long description (https://packaging.python.org/en/latest/specifications/core-metadata/).
 * Only the header is read: it ends at the first empty line, so a megabyte README in the body
 * costs one byte scan. Field names are case-insensitive; a line starting with a space or tab
 * continues the previous field (a whitespace-only line is a continuation too: setuptools folds
 * blank lines of a multi-line `License` into 8 spaces, so only a truly empty line ends the header).
 * Pure and linear; bad lines are reported and skipped.
 */
import { describeLineProblem, type LineProblem, splitLines } from '../../text-lines.js';

/** No real header comes close (the longest on a test machine: 7 KiB, a full licence text). */
export const MAX_HEADER_BYTES = 1024 * 1024;

export interface CoreMetadata {
  /** Single-use fields Assay reads, keyed by lowercase name. */
  fields: Map<string, string>;
  /** `Classifier: License :: …` values, in file order (the field is multiple-use). */
  licenseClassifiers: string[];
}

export interface MetadataProblem {
  line?: number;
  code: 'malformed-record' | LineProblem;
  message: string;
}

const KEPT: ReadonlySet<string> = new Set(['name', 'version', 'license', 'license-expression']);

export function parseCoreMetadata(bytes: Buffer): { metadata: CoreMetadata; problems: MetadataProblem[] } {
  const metadata: CoreMetadata = { fields: new Map(), licenseClassifiers: [] };
  const problems: MetadataProblem[] = [];
  let end = headerEnd(bytes);
  if (end > MAX_HEADER_BYTES) {
    problems.push({
      code: 'malformed-record',
      message: `header longer than ${MAX_HEADER_BYTES} bytes; the rest ignored`,
    });
    end = MAX_HEADER_BYTES;
  }
  let field: string | undefined;
  for (const line of splitLines(bytes.subarray(0, end))) {
    if (line.problem)
      problems.push({ line: line.number, code: line.problem, message: describeLineProblem(line.problem) });
    if (line.problem && line.problem !== 'invalid-utf8') {
      field = undefined;
      continue;
    }
    const text = line.text;
    if (text[0] === ' ' || text[0] === '\t') {
      if (field === undefined) continue; // a continuation of a field Assay does not keep, or of nothing
      metadata.fields.set(field, `${metadata.fields.get(field)}\n${text.trim()}`);
      continue;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) {
      problems.push({ line: line.number, code: 'malformed-record', message: 'not a "Field: value" line' });
      field = undefined;
      continue;
    }
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    field = KEPT.has(name) ? name : undefined;
    if (name === 'classifier' && value.startsWith('License ::')) metadata.licenseClassifiers.push(value);
    if (field === undefined) continue;
    if (metadata.fields.has(field)) {
      problems.push({
        line: line.number,
        code: 'malformed-record',
        message: `${field} repeated; last one kept`,
      });
    }
    metadata.fields.set(field, value);
  }
  return { metadata, problems };
}

/** Offset of the empty line that ends the header (LF or CRLF), or the file's length. */
export function headerEnd(bytes: Buffer): number {
  if (bytes[0] === 0x0a || (bytes[0] === 0x0d && bytes[1] === 0x0a)) return 0;
  let newline = bytes.indexOf(0x0a);
  while (newline !== -1) {
    const next = newline + 1;
    if (bytes[next] === 0x0a || (bytes[next] === 0x0d && bytes[next + 1] === 0x0a)) return next;
    newline = bytes.indexOf(0x0a, next);
  }
  return bytes.length;
}
