/**
 * The library's `scan(source, options)` (ARCHITECTURE "Contracts": the library entry exports
 * it). A thin convenience over `scanImage`: it opens the vulnerability DB by directory and reads
 * ignore files by path when the caller did not bring them loaded, and closes what it opened.
 */
import { loadIgnoreFileDetailed } from '../match/ignore-file.js';
import type { ImageResult } from '../model/result.js';
import { defaultDbDir } from '../paths.js';
import { VulnDb } from '../vulndb/store.js';
import { type ExceptionSource, type ScanOptions, scanImage } from './scan.js';

export { inferBaseImage } from './base-layers.js';
export { readSbomInput, type SbomImage } from './sbom-input.js';
export type { ExceptionSource, ScanOptions } from './scan.js';
export { scanImage, scanImages } from './scan.js';

export interface LibraryScanOptions extends Omit<ScanOptions, 'db' | 'exceptions'> {
  /** A DB to query; else the one in `dbDir` (default `~/.cache/assay/db`) is opened and closed. */
  db?: ScanOptions['db'];
  dbDir?: string;
  /** Exceptions already loaded, or `ignoreFiles` to read (exceptions, OpenVEX, .trivyignore). */
  exceptions?: readonly ExceptionSource[];
  ignoreFiles?: readonly string[];
}

/**
 * Scans one image source (`registry:alpine:3.20`, `oci-dir:./layout`, `sbom:app.cdx.json`, …)
 * and returns its `ImageResult`. Per-image problems are the result's `status`; a missing DB or
 * a bad ignore file throws an AssayError (`database`, `invalid-input`).
 */
export async function scan(source: string, options: LibraryScanOptions = {}): Promise<ImageResult> {
  const { db: given, dbDir, ignoreFiles, exceptions: loaded, ...rest } = options;
  const exceptions = loaded ? [...loaded] : [];
  for (const path of ignoreFiles ?? []) {
    const file = await loadIgnoreFileDetailed(path);
    exceptions.push({ path, source: file.source, entries: file.entries });
  }
  const db = given ?? VulnDb.open(dbDir ?? defaultDbDir());
  try {
    return await scanImage(source, { ...rest, db, exceptions });
  } finally {
    if (!given && db instanceof VulnDb) db.close();
  }
}
