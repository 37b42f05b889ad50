/**
 * Python lock files, where an image carries the project that was installed from them:
 * `poetry.lock`, `Pipfile.lock`, and `requirements*.txt` (pinned lines only). Files inside an
 * installed package's directory (`site-packages/`, `dist-packages/`) are not wanted: those are
 * the package's own development files, not what the image installed (the installed packages
 * come from `python-dist-info`).
 */
import type { Issue } from '../../../model/issue.js';
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerFile, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { formatPurl } from '../../purl.js';
import { pythonPackage } from '../python-dist-info/package.js';
import { parsePipfileLock } from './parse-pipfile.js';
import { parsePoetryLock } from './parse-poetry.js';
import { parseRequirements } from './parse-requirements.js';
import type { ParsedLock } from './records.js';

/** Far beyond any real lock file (a large poetry.lock is about 1 MiB). */
export const MAX_LOCK_BYTES = 32 * 1024 * 1024;

type Parser = (bytes: Buffer) => ParsedLock;

export function lockParserFor(path: string): Parser | undefined {
  const rooted = `/${path}`;
  if (rooted.includes('/site-packages/') || rooted.includes('/dist-packages/')) return undefined;
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'poetry.lock') return parsePoetryLock;
  if (base === 'Pipfile.lock') return parsePipfileLock;
  if (base.startsWith('requirements') && base.endsWith('.txt')) return parseRequirements;
  return undefined;
}

export const pythonLock = {
  id: 'python-lock',
  version: 1,
  wants: (path: string, _size: number): boolean => lockParserFor(path) !== undefined,
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const packages: Package[] = [];
    const issues: Issue[] = [];
    for (const file of input.files) {
      const result = await analyzeFile(input, file);
      packages.push(...result.packages);
      issues.push(...result.issues);
    }
    return { packages, issues };
  },
} satisfies Analyzer;

async function analyzeFile(input: AnalyzerInput, file: AnalyzerFile): Promise<AnalyzerResult> {
  const location = locate(input.layer, file.path);
  const list = new IssueList(location);
  const parser = lockParserFor(file.path);
  if (!parser) return { packages: [], issues: [] };
  if (file.content.size > MAX_LOCK_BYTES) {
    list.add(
      'too-many-records',
      `${file.content.size} bytes is over the ${MAX_LOCK_BYTES}-byte limit; not read`,
    );
    return { packages: [], issues: list.toArray() };
  }
  const bytes = await readOrReport(file, list);
  if (!bytes) return { packages: [], issues: list.toArray() };
  const parsed = parser(bytes);
  for (const problem of parsed.problems) list.add(problem.code, problem.message, problem.line);
  const packages: Package[] = [];
  // The same release twice (Pipfile.lock's default and develop, a repeated requirement) is one package.
  const seen = new Set<string>();
  for (const record of parsed.records) {
    const key = formatPurl({ type: 'pypi', name: record.name, version: record.version });
    if (seen.has(key)) continue;
    seen.add(key);
    packages.push(pythonPackage(record.name, record.version, [], location));
  }
  return { packages, issues: list.toArray() };
}
