/**
 * Java archives: `.jar`, `.war`, `.ear`, `.par`, and Jenkins plugins (`.jpi`, `.hpi`), with the
 * archives nested in them. Identification and limits live in `scan.ts`; this is the wiring. An
 * archive too large to read is still named from its file name, with an issue.
 */
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { isArchiveName } from './file-name.js';
import { fileNameRecord } from './identify.js';
import { recordToPackage } from './package.js';
import { DEFAULT_LIMITS, type ScanResult, scanArchive } from './scan.js';

/** Top-level archives read into memory at most this size (the walker may hand over more). */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

export const jar = {
  id: 'jar',
  version: 1,
  wants: (path: string, _size: number): boolean => isArchiveName(path),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const packages: Package[] = [];
    const issues: AnalyzerResult['issues'] = [];
    for (const file of input.files) {
      const location = locate(input.layer, file.path);
      const list = new IssueList(location);
      const scanned = await scanFile(file.path, file.content.size, list, () => readOrReport(file, list));
      for (const problem of scanned.problems) {
        const where = problem.at === file.path ? '' : `${problem.at.slice(file.path.length)}: `;
        list.add(problem.code, `${where}${problem.message}`);
      }
      packages.push(...scanned.records.map((record) => recordToPackage(record, location)));
      issues.push(...list.toArray());
    }
    return { packages, issues };
  },
} satisfies Analyzer;

async function scanFile(
  path: string,
  size: number,
  list: IssueList,
  read: () => Promise<Buffer | undefined>,
): Promise<ScanResult> {
  if (size > MAX_ARCHIVE_BYTES) {
    list.add('too-many-records', `${size} bytes, more than ${MAX_ARCHIVE_BYTES}: named from its file name`);
    const record = fileNameRecord(path);
    return { records: record ? [record] : [], problems: [] };
  }
  const bytes = await read();
  if (!bytes) return { records: [], problems: [] };
  return scanArchive(bytes, path, DEFAULT_LIMITS);
}
