/**
 * `pnpm-lock.yaml` (lock file versions 5.x, 6.x and 9.x), wherever an app was copied into the
 * image. Registry packages only; the lock carries no licences. Packages installed from it are
 * also found in `node_modules/.pnpm/<id>/node_modules/<name>/package.json` by npm-package-json.
 */
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { analyzeNpmLockFiles } from '../npm-package-json/lock-files.js';
import { parsePnpmLock } from './parse.js';

export function isPnpmLock(path: string): boolean {
  return path === 'pnpm-lock.yaml' || path.endsWith('/pnpm-lock.yaml');
}

export const pnpmLock = {
  id: 'pnpm-lock',
  version: 1,
  wants: (path: string, _size: number): boolean => isPnpmLock(path),
  analyze: (input: AnalyzerInput): Promise<AnalyzerResult> => analyzeNpmLockFiles(input, parsePnpmLock),
} satisfies Analyzer;
