/**
 * Shared helpers for the catalog's tests (named *.test.ts so the build leaves it out; it holds
 * no tests itself): layers, in-memory files, fixture trees, and a schema check on every result.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import type { LayerRef } from '../image/types.js';
import type { Analyzer, AnalyzerFile, AnalyzerResult } from './analyzer.js';
import { AnalyzerResultSchema } from './inventory.js';

export function layerRef(index: number): LayerRef {
  const hex = String(index).padStart(64, '0');
  return { index, digest: `sha256:${hex}`, diffId: `sha256:d${hex.slice(1)}`, size: -1, mediaType: 'test' };
}

export function memoryFile(path: string, content: string | Buffer): AnalyzerFile {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return {
    path,
    content: { size: bytes.length, read: async () => bytes, stream: () => Readable.from([bytes]) },
  };
}

/** Every regular file under `dir`, as root-relative paths (what the walker would hand over). */
export function fixtureFiles(dir: string): AnalyzerFile[] {
  const out: AnalyzerFile[] = [];
  const visit = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) out.push(memoryFile(relative(dir, full), readFileSync(full)));
    }
  };
  visit(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Runs `analyzer` on `files` as layer `index`, and checks the result against the model's schema. */
export async function analyzeFiles(
  analyzer: Analyzer,
  files: AnalyzerFile[],
  index = 0,
): Promise<AnalyzerResult> {
  const layer = layerRef(index);
  const result = await analyzer.analyze({ layer, files }, { label: `layer ${index}` });
  const checked = AnalyzerResultSchema.safeParse(result);
  assert.ok(checked.success, checked.success ? '' : JSON.stringify(checked.error.issues.slice(0, 3)));
  return result;
}

export function testdata(metaUrl: string, ...parts: string[]): string {
  return join(new URL('.', metaUrl).pathname, 'testdata', ...parts);
}
