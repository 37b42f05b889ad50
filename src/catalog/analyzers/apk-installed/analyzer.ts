/** apk: `/lib/apk/db/installed` (Alpine, Wolfi, Chainguard). */
import type { Issue } from '../../../model/issue.js';
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { recordToPackage } from './package.js';
import { parseApkInstalled } from './parse.js';

export const INSTALLED_DB = 'lib/apk/db/installed';

export const apkInstalled = {
  id: 'apk-installed',
  version: 1,
  wants: (path: string, _size: number): boolean => path === INSTALLED_DB,
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const packages: Package[] = [];
    const issues: Issue[] = [];
    for (const file of input.files) {
      const location = locate(input.layer, file.path);
      const list = new IssueList(location);
      const bytes = await readOrReport(file, list);
      const parsed = parseApkInstalled(bytes ?? Buffer.alloc(0));
      for (const problem of parsed.problems) list.add(problem.code, problem.message, problem.line);
      const seen = new Set<string>();
      for (const record of parsed.records) {
        const verdict = recordToPackage(record, location);
        if (verdict.kind === 'invalid') {
          list.add(verdict.code, verdict.message, record.line);
        } else if (seen.has(verdict.pkg.name)) {
          // apk keys its database by name: a second record for a name is corrupt.
          list.add('duplicate-package', `${verdict.pkg.name} listed again; this record ignored`, record.line);
        } else {
          seen.add(verdict.pkg.name);
          packages.push(verdict.pkg);
        }
      }
      issues.push(...list.toArray());
    }
    return { packages, issues };
  },
} satisfies Analyzer;
