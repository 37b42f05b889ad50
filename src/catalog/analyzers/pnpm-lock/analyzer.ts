/**
 * `pnpm-lock.yaml` (lock file versions 5.x, 6.x and 9.x), wherever an app was copied into the
 * image. Registry packages only; the lock carries no licences. Packages installed from it are
 * also found in `node_modules/.pnpm/<id>/node_modules/<name>/package.json` by npm-package-json.
 */
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { isNpmName, isReportableVersion, npmPackage } from '../npm-package-json/package.js';
import { parsePnpmLock } from './parse.js';

export function isPnpmLock(path: string): boolean {
  return path === 'pnpm-lock.yaml' || path.endsWith('/pnpm-lock.yaml');
}

export const pnpmLock = {
  id: 'pnpm-lock',
  version: 1,
  wants: (path: string, _size: number): boolean => isPnpmLock(path),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const result: AnalyzerResult = { packages: [], issues: [] };
    for (const file of input.files) {
      const location = locate(input.layer, file.path);
      const issues = new IssueList(location);
      const bytes = await readOrReport(file, issues);
      const parsed = bytes && parsePnpmLock(bytes);
      for (const problem of parsed ? parsed.problems : [])
        issues.add(problem.code, problem.message, problem.line);
      const seen = new Set<string>();
      for (const entry of parsed ? parsed.entries : []) {
        if (!isNpmName(entry.name) || !isReportableVersion(entry.version)) {
          const what = `${entry.name.slice(0, 100)}@${entry.version.slice(0, 100)}`;
          issues.add('invalid-field', `${JSON.stringify(what)} is not an npm name and version`);
          continue;
        }
        const key = `${entry.name}@${entry.version}`;
        if (seen.has(key)) continue; // one package, several peer-dependency variants
        seen.add(key);
        result.packages.push(npmPackage(entry.name, entry.version, [], location));
      }
      result.issues.push(...issues.toArray());
    }
    return result;
  },
} satisfies Analyzer;
