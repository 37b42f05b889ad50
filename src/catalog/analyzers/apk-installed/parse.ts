/**
 * apk's installed database (`/lib/apk/db/installed`): records separated by blank lines, one
 * `X:value` line per field, `X` a single letter (the same format as APKINDEX; field letters per
 * https://wiki.alpinelinux.org/wiki/Apk_spec and apk-tools `src/database.c`). Upper-case letters
 * are mandatory fields, lower-case ones optional; file lists (`F:`, `R:`, `a:`, `M:`, `Z:`) follow
 * the package fields. Pure and linear; only the package fields are kept.
 */
import { describeLineProblem, type LineProblem, splitLines } from '../../text-lines.js';

/** The letters Assay reads: C checksum, P name, V version, A arch, I installed size, L licence,
 * o origin, m maintainer, t build time, c commit, U url. */
const KEPT = new Set(['C', 'P', 'V', 'A', 'I', 'L', 'o', 'm', 't', 'c', 'U']);

export interface ApkRecord {
  /** Line of the record's first field. */
  line: number;
  fields: Map<string, string>;
}

export interface ApkProblem {
  line: number;
  code: 'malformed-record' | LineProblem;
  message: string;
}

export function parseApkInstalled(bytes: Buffer): { records: ApkRecord[]; problems: ApkProblem[] } {
  const records: ApkRecord[] = [];
  const problems: ApkProblem[] = [];
  let record: ApkRecord | undefined;
  for (const line of splitLines(bytes)) {
    if (line.problem)
      problems.push({ line: line.number, code: line.problem, message: describeLineProblem(line.problem) });
    if (line.problem && line.problem !== 'invalid-utf8') continue;
    const text = line.text;
    if (text.trim() === '') {
      if (record) records.push(record);
      record = undefined;
      continue;
    }
    if (text.length < 2 || text[1] !== ':') {
      problems.push({ line: line.number, code: 'malformed-record', message: 'not an "X:value" line' });
      continue;
    }
    record ??= { line: line.number, fields: new Map() };
    const letter = text[0]!;
    // Only the first of a repeated package field counts; file-list letters repeat by design.
    if (KEPT.has(letter) && !record.fields.has(letter)) record.fields.set(letter, text.slice(2));
  }
  if (record) records.push(record);
  return { records, problems };
}
