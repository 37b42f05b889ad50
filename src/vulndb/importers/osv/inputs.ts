/**
 * The three inputs the OSV importer takes, as one stream of record texts: a single record
 * file, a directory tree of `*.json` records (sorted, so imports are reproducible), or a zip.
 * Each item names where it came from the way issues must (`all.zip!GO-2024-0001.json`).
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { AssayError, errorMessage } from '../../../model/errors.js';
import { zipJsonEntries } from '../common/zip.js';

export type InputItem =
  | { file: string; entry?: string; text: string }
  | { file: string; entry?: string; problem: string };

async function readSmallFile(path: string, file: string, maxBytes: number): Promise<InputItem> {
  try {
    const { size } = await stat(path);
    if (size > maxBytes)
      return { file, problem: `${size} bytes, more than the ${maxBytes}-byte record limit` };
    return { file, text: await readFile(path, 'utf8') };
  } catch (err) {
    return { file, problem: `cannot read: ${errorMessage(err)}` };
  }
}

/** Every `*.json` file under `dir`, depth first in name order; symlinks are not followed. */
async function* walkJson(dir: string): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new AssayError('invalid-input', `${dir}: cannot read directory: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walkJson(path);
    else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) yield path;
  }
}

export function isZipPath(path: string): boolean {
  return path.toLowerCase().endsWith('.zip');
}

/** Records of `path` (file, directory or zip), as texts or located problems. */
export async function* osvInputs(path: string, label: string, maxBytes: number): AsyncGenerator<InputItem> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new AssayError('not-found', `${label}: ${errorMessage(err)}`, { cause: err });
  }
  if (isDir) {
    for await (const file of walkJson(path)) {
      yield await readSmallFile(file, join(label, relative(path, file)), maxBytes);
    }
  } else if (isZipPath(path)) {
    for await (const item of zipJsonEntries(path, maxBytes, label)) {
      const file = `${label}!${item.name}`;
      yield 'text' in item
        ? { file, entry: item.name, text: item.text }
        : { file, entry: item.name, problem: item.problem };
    }
  } else {
    yield await readSmallFile(path, label, maxBytes);
  }
}
