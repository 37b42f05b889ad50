/**
 * `scan --ignore-file`: one reader for every format users bring. The format is decided by the
 * content, not the name: a JSON or YAML `{exceptions: [...]}` document (the manager's export
 * shape), a plain list of entries, an OpenVEX document, or a `.trivyignore`-style text file.
 * Bad input is an `invalid-input` error naming the file, the entry and the field: an ignore
 * file that silently drops entries would fail (or pass) pipelines for the wrong reason.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AssayError, errorMessage } from '../model/errors.js';
import { ExceptionDocumentSchema, type ExceptionEntry, ExceptionEntrySchema } from '../model/exception.js';
import { isOpenVex, openVexEntries } from './openvex.js';
import { parseTrivyIgnore } from './trivyignore.js';

/** Ignore files are hand-written lists; anything this large is not one. */
const MAX_BYTES = 16 * 1024 * 1024;

export type IgnoreFormat = 'exceptions' | 'entry-list' | 'openvex' | 'trivyignore';

export interface LoadedIgnoreFile {
  entries: ExceptionEntry[];
  format: IgnoreFormat;
  /** What `AppliedException.source` records: the path, or `openvex:<path>`. */
  source: string;
  /** Statements that could not become exceptions (OpenVEX products Assay cannot identify). */
  warnings: string[];
}

function fail(path: string, message: string, cause?: unknown): never {
  throw new AssayError('invalid-input', `ignore file ${path}: ${message}`, { cause });
}

function zodProblem(error: z.ZodError, root: string): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${root}${where.replace(/^\./, '')}: ${issue.message}`;
}

function structured(path: string, doc: unknown): LoadedIgnoreFile {
  if (Array.isArray(doc)) {
    const parsed = ExceptionEntrySchema.array().safeParse(doc);
    if (!parsed.success) fail(path, `entry ${zodProblem(parsed.error, '')}`);
    return { entries: parsed.data, format: 'entry-list', source: path, warnings: [] };
  }
  if (isOpenVex(doc)) {
    const { entries, warnings } = openVexEntries(doc, path);
    return { entries, format: 'openvex', source: `openvex:${path}`, warnings };
  }
  if (typeof doc === 'object' && doc !== null && 'exceptions' in doc) {
    const parsed = ExceptionDocumentSchema.safeParse(doc);
    if (!parsed.success) fail(path, zodProblem(parsed.error, ''));
    return { entries: parsed.data.exceptions, format: 'exceptions', source: path, warnings: [] };
  }
  fail(
    path,
    'expected {exceptions: [...]}, a list of exception entries, an OpenVEX document or a .trivyignore list of ids',
  );
}

function parseDocument(path: string, text: string): unknown {
  const trimmed = text.trimStart();
  try {
    return trimmed.startsWith('{') || trimmed.startsWith('[') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    fail(
      path,
      `not valid ${trimmed.startsWith('{') || trimmed.startsWith('[') ? 'JSON' : 'YAML'}: ${errorMessage(err)}`,
      err,
    );
  }
}

/** Decides the format from the text; exported for tests and for callers holding the bytes. */
export function parseIgnoreText(path: string, text: string): LoadedIgnoreFile {
  const ext = extname(path).toLowerCase();
  const structuredByName = ext === '.json' || ext === '.yaml' || ext === '.yml';
  const trimmed = text.trimStart();
  if (structuredByName || trimmed.startsWith('{') || trimmed.startsWith('['))
    return structured(path, parseDocument(path, text));
  // A .trivyignore is also valid YAML (one plain scalar, or null when all comments); only a
  // mapping or a list makes it a structured document.
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    doc = undefined;
  }
  if (typeof doc === 'object' && doc !== null) return structured(path, doc);
  return { entries: parseTrivyIgnore(path, text), format: 'trivyignore', source: path, warnings: [] };
}

export async function loadIgnoreFileDetailed(path: string): Promise<LoadedIgnoreFile> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) fail(path, 'not a regular file');
    if (info.size > MAX_BYTES)
      fail(path, `${info.size} bytes is more than an ignore file can hold (${MAX_BYTES})`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof AssayError) throw err;
    fail(path, `cannot be read: ${errorMessage(err)}`, err);
  }
  return parseIgnoreText(path, text);
}

export async function loadIgnoreFile(path: string): Promise<ExceptionEntry[]> {
  return (await loadIgnoreFileDetailed(path)).entries;
}
