/**
 * Shared helpers for the OSV importer tests (a `.test.ts` so it never ships; it holds no tests).
 */
import { fileURLToPath } from 'node:url';
import type { ImportContext, ImportIssue } from '../../importer.js';
import { MemoryDb } from '../../testing/memory-db.js';
import type { AdvisoryRecord } from '../../types.js';

export const fixture = (rel: string) => fileURLToPath(new URL(`testdata/${rel}`, import.meta.url));

export function context(
  label = 'input',
  maxRecordBytes = 1 << 20,
): ImportContext & { issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  return { label, maxRecordBytes, issues, issue: (i) => issues.push(i) };
}

export function advisory(db: MemoryDb, id: string, feed = 'osv'): AdvisoryRecord | undefined {
  return db.advisories.get(`${feed}\u0000${id}`)?.value;
}

export function ids(db: MemoryDb): string[] {
  return [...db.advisories.values()].map((a) => a.value.id).sort();
}

export { MemoryDb };
