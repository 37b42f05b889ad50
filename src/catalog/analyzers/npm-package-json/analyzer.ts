/**
 * Installed npm packages: `package.json` directly inside `node_modules/<name>/` or
 * `node_modules/@scope/<name>/`, at any depth (nested `node_modules`, global
 * `usr/lib/node_modules`, pnpm's `node_modules/.pnpm/<id>/node_modules/<name>`). Other
 * package.json files (an app's root, a package's own sub-folders) are not installed packages.
 */
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { npmPackage } from './package.js';
import { parseManifest } from './parse.js';

const FILE = 'package.json';

/** `…node_modules/<name>/package.json` or `…node_modules/@scope/<name>/package.json`. */
export function isInstalledManifest(path: string): boolean {
  if (!path.endsWith(FILE) || !path.includes('node_modules/')) return false;
  const parts = path.split('/');
  const n = parts.length;
  if (parts[n - 1] !== FILE || n < 3) return false;
  const name = parts[n - 2]!;
  if (name === '' || name.startsWith('.') || name.startsWith('@')) return false;
  if (parts[n - 3] === 'node_modules') return true;
  const scope = parts[n - 3]!;
  return n >= 4 && scope.length > 1 && scope.startsWith('@') && parts[n - 4] === 'node_modules';
}

export const npmPackageJson = {
  id: 'npm-package-json',
  version: 1,
  wants: (path: string, _size: number): boolean => isInstalledManifest(path),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const result: AnalyzerResult = { packages: [], issues: [] };
    for (const file of input.files) {
      const location = locate(input.layer, file.path);
      const issues = new IssueList(location);
      const bytes = await readOrReport(file, issues);
      const manifest = bytes && parseManifest(bytes, issues);
      if (manifest && !manifest.private) {
        result.packages.push(npmPackage(manifest.name, manifest.version, manifest.licenses, location));
      }
      result.issues.push(...issues.toArray());
    }
    return result;
  },
} satisfies Analyzer;
