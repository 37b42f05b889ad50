/**
 * `yarn.lock`, yarn v1 and yarn berry (2+), wherever an app was copied into the image. Only
 * packages from the npm registry are reported (workspaces, patches, links, git and tarball
 * URLs are not); the same name@version resolved for several ranges is one package. Lock
 * files carry no licences.
 */
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { analyzeNpmLockFiles } from '../npm-package-json/lock-files.js';
import { parseYarnLock } from './parse.js';

export function isYarnLock(path: string): boolean {
  return path === 'yarn.lock' || path.endsWith('/yarn.lock');
}

export const yarnLock = {
  id: 'yarn-lock',
  version: 1,
  wants: (path: string, _size: number): boolean => isYarnLock(path),
  analyze: (input: AnalyzerInput): Promise<AnalyzerResult> => analyzeNpmLockFiles(input, parseYarnLock),
} satisfies Analyzer;
