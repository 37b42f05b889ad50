/**
 * Installed Python packages, wherever the image keeps them (site-packages of any interpreter or
 * virtualenv, Debian's `/usr/lib/python3/dist-packages`, a bare `lib/python2.7`):
 * - `<name>-<version>.dist-info/METADATA` (wheels, pip, PEP 376/627);
 * - `<name>[-<version>].egg-info/PKG-INFO` (setuptools; Debian's python3-* packages);
 * - `<name>-<version>.egg-info` as a file: distutils wrote PKG-INFO under that name;
 * - `<name>-<version>.egg/EGG-INFO/PKG-INFO` (unzipped eggs).
 * One file is one package; the file's own Name and Version say which (directory names can omit
 * the version, as Debian's `cryptography.egg-info` does).
 */
import type { Issue } from '../../../model/issue.js';
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { metadataToPackage } from './package.js';
import { parseCoreMetadata } from './parse.js';

/** `name.suffix` with a non-empty stem. */
function hasSuffix(name: string, suffix: string): boolean {
  return name.length > suffix.length && name.endsWith(suffix);
}

export function isPythonMetadataPath(path: string): boolean {
  const parts = path.split('/');
  const base = parts.at(-1) ?? '';
  const parent = parts.at(-2) ?? '';
  if (base === 'METADATA') return hasSuffix(parent, '.dist-info');
  if (base === 'PKG-INFO') {
    return hasSuffix(parent, '.egg-info') || (parent === 'EGG-INFO' && hasSuffix(parts.at(-3) ?? '', '.egg'));
  }
  return hasSuffix(base, '.egg-info');
}

export const pythonDistInfo = {
  id: 'python-dist-info',
  version: 1,
  wants: (path: string, _size: number): boolean => isPythonMetadataPath(path),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const packages: Package[] = [];
    const issues: Issue[] = [];
    for (const file of input.files) {
      const location = locate(input.layer, file.path);
      const list = new IssueList(location);
      const bytes = await readOrReport(file, list);
      if (bytes) {
        const parsed = parseCoreMetadata(bytes);
        for (const problem of parsed.problems) list.add(problem.code, problem.message, problem.line);
        const verdict = metadataToPackage(parsed.metadata, location);
        if (verdict.kind === 'package') packages.push(verdict.pkg);
        else list.add(verdict.code, verdict.message);
      }
      issues.push(...list.toArray());
    }
    return { packages, issues };
  },
} satisfies Analyzer;
