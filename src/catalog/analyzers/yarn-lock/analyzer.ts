/**
 * `yarn.lock`, yarn v1 and yarn berry (2+), wherever an app was copied into the image. Only
 * packages from the npm registry are reported (workspaces, patches, links, git and tarball
 * URLs are not); the same name@version resolved for several ranges is one package. Lock
 * files carry no licences.
 */
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { isNpmName, isReportableVersion, npmPackage } from '../npm-package-json/package.js';
import { parseYarnLock } from './parse.js';

export function isYarnLock(path: string): boolean {
  return path === 'yarn.lock' || path.endsWith('/yarn.lock');
}

export const yarnLock = {
  id: 'yarn-lock',
  version: 1,
  wants: (path: string, _size: number): boolean => isYarnLock(path),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const result: AnalyzerResult = { packages: [], issues: [] };
    for (const file of input.files) {
      const location = locate(input.layer, file.path);
      const issues = new IssueList(location);
      const bytes = await readOrReport(file, issues);
      const parsed = bytes && parseYarnLock(bytes);
      for (const problem of parsed ? parsed.problems : [])
        issues.add(problem.code, problem.message, problem.line);
      const seen = new Set<string>();
      for (const entry of parsed ? parsed.entries : []) {
        if (!isNpmName(entry.name) || !isReportableVersion(entry.version)) {
          const what = `${entry.name.slice(0, 100)}@${entry.version.slice(0, 100)}`;
          issues.add('invalid-field', `${JSON.stringify(what)} is not an npm name and version`, entry.line);
          continue;
        }
        const key = `${entry.name}@${entry.version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        result.packages.push(npmPackage(entry.name, entry.version, [], location));
      }
      result.issues.push(...issues.toArray());
    }
    return result;
  },
} satisfies Analyzer;
