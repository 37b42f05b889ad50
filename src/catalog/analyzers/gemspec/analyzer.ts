/**
 * Installed gems: `…/specifications/<full name>.gemspec` wherever a gem home is
 * (`usr/lib/ruby/gems/<abi>/`, `var/lib/gems/<abi>/`, `usr/share/rubygems-integration/<abi>/`,
 * `usr/local/bundle/`, a user's `~/.gem/ruby/<abi>/`), including the `default/` gems shipped
 * with Ruby. One file is one gem.
 */
import type { Issue } from '../../../model/issue.js';
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerFile, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { gemPackage } from './package.js';
import { parseGemspec } from './parse.js';

/** Generated specs are a few KiB (the largest on a Debian 12 Ruby 3.1 is under 10 KiB). */
export const MAX_GEMSPEC_BYTES = 4 * 1024 * 1024;

export function isInstalledGemspec(path: string): boolean {
  if (!path.endsWith('.gemspec')) return false;
  const slash = path.lastIndexOf('/');
  if (slash === -1 || slash === path.length - '.gemspec'.length - 1) return false;
  const dir = path.slice(0, slash);
  return isSpecDir(dir) || (dir.endsWith('/default') && isSpecDir(dir.slice(0, -'/default'.length)));
}

function isSpecDir(dir: string): boolean {
  return dir === 'specifications' || dir.endsWith('/specifications');
}

export const gemspec = {
  id: 'gemspec',
  version: 1,
  wants: (path: string, _size: number): boolean => isInstalledGemspec(path),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const packages: Package[] = [];
    const issues: Issue[] = [];
    for (const file of input.files) {
      const list = new IssueList(locate(input.layer, file.path));
      const pkg = await analyzeFile(input, file, list);
      if (pkg) packages.push(pkg);
      issues.push(...list.toArray());
    }
    return { packages, issues };
  },
} satisfies Analyzer;

async function analyzeFile(
  input: AnalyzerInput,
  file: AnalyzerFile,
  list: IssueList,
): Promise<Package | undefined> {
  if (file.content.size > MAX_GEMSPEC_BYTES) {
    list.add(
      'file-unreadable',
      `${file.content.size} bytes, above the ${MAX_GEMSPEC_BYTES}-byte limit for a gemspec; not read`,
    );
    return undefined;
  }
  const bytes = await readOrReport(file, list);
  if (!bytes) return undefined;
  const { record, problems } = parseGemspec(bytes);
  for (const problem of problems) list.add(problem.code, problem.message, problem.line);
  const { name, version, platform, licenses } = record;
  if (!name || !version) {
    list.add('missing-field', `no ${name ? 'version' : 'name'}; not read as a gem`, record.line);
    return undefined;
  }
  return gemPackage({ name, version, platform, licenses }, locate(input.layer, file.path));
}
