/**
 * npm lock files: `package-lock.json` and `npm-shrinkwrap.json` anywhere (an app's folder,
 * a global install's shrinkwrap). `node_modules/.package-lock.json`, npm's hidden lock file, is
 * not read: it lists exactly what `npm-package-json` finds in the same tree.
 */
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { npmPackage } from '../npm-package-json/package.js';
import { parseJsonFile } from '../npm-package-json/parse.js';
import { readNpmLock } from './parse.js';

const NAMES = ['package-lock.json', 'npm-shrinkwrap.json'];

export function isNpmLock(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return NAMES.includes(base);
}

export const npmLock = {
  id: 'npm-lock',
  version: 1,
  wants: (path: string, _size: number): boolean => isNpmLock(path),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const result: AnalyzerResult = { packages: [], issues: [] };
    for (const file of input.files) {
      const location = locate(input.layer, file.path);
      const issues = new IssueList(location);
      const bytes = await readOrReport(file, issues);
      const json = bytes && parseJsonFile(bytes, issues);
      if (json !== undefined) {
        for (const entry of readNpmLock(json, issues)) {
          result.packages.push(npmPackage(entry.name, entry.version, entry.licenses, location));
        }
      }
      result.issues.push(...issues.toArray());
    }
    return result;
  },
} satisfies Analyzer;
