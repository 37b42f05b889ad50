/**
 * Bundler lockfiles: `Gemfile.lock` (and `gems.locked`, Bundler's alternative name) anywhere,
 * except inside an installed gem's own directory (`…/gems/<name>-<version>/…`): gems ship the
 * lockfile of their own development (Debian's `libruby3.1` has `rbs-2.1.0/steep/Gemfile.lock`
 * listing activesupport, which is not installed), and reporting those would be false positives.
 * Licences are not in a lockfile; the installed gemspecs (`gemspec` analyzer) have them.
 */
import type { Issue } from '../../../model/issue.js';
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerFile, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { gemPackage } from '../gemspec/package.js';
import { parseGemfileLock } from './parse.js';

/** Real lockfiles are tens of KiB; this is far above any. */
export const MAX_LOCKFILE_BYTES = 32 * 1024 * 1024;
// `gems/<name>-<version>/` under a gem home; `bundler/gems/<name>-<git revision>/` for git sources.
const INSIDE_INSTALLED_GEM = /(?:^|\/)(?:gems\/[^/]+-[0-9][^/]*|bundler\/gems\/[^/]+)\//;

export function isGemLockfile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return (base === 'Gemfile.lock' || base === 'gems.locked') && !INSIDE_INSTALLED_GEM.test(path);
}

export const gemfileLock = {
  id: 'gemfile-lock',
  version: 1,
  wants: (path: string, _size: number): boolean => isGemLockfile(path),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const packages: Package[] = [];
    const issues: Issue[] = [];
    for (const file of input.files) {
      const location = locate(input.layer, file.path);
      const list = new IssueList(location);
      const bytes = await readSmall(file, list);
      const parsed = bytes ? parseGemfileLock(bytes) : { gems: [], problems: [] };
      for (const problem of parsed.problems) list.add(problem.code, problem.message, problem.line);
      const seen = new Map<string, number>();
      for (const gem of parsed.gems) {
        const key = `${gem.name} ${gem.version} ${gem.platform ?? ''}`;
        const first = seen.get(key);
        if (first !== undefined) {
          list.add(
            'duplicate-package',
            `${key.trim()} locked again (first on line ${first}); ignored`,
            gem.line,
          );
          continue;
        }
        seen.set(key, gem.line);
        packages.push(gemPackage({ ...gem, licenses: [] }, location));
      }
      issues.push(...list.toArray());
    }
    return { packages, issues };
  },
} satisfies Analyzer;

async function readSmall(file: AnalyzerFile, list: IssueList): Promise<Buffer | undefined> {
  if (file.content.size <= MAX_LOCKFILE_BYTES) return readOrReport(file, list);
  list.add(
    'file-unreadable',
    `${file.content.size} bytes, above the ${MAX_LOCKFILE_BYTES}-byte limit; not read`,
  );
  return undefined;
}
