/**
 * PHP packages: `…/composer/installed.json` (what Composer installed into the vendor directory;
 * `vendor/` by default, the `composer/` folder inside it is fixed) and `composer.lock` outside
 * vendor directories (a library's own lockfile under `vendor/` describes its development, not
 * this image). Each file is read on its own.
 */
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerFile, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { analyzeEachFile, type IssueList, readOrReport } from '../../issue-list.js';
import { composerPackage } from './package.js';
import { type ComposerFileKind, parseComposerFile } from './parse.js';

/** A large application's lockfile is a few MiB; JSON.parse of more would cost too much memory. */
export const MAX_COMPOSER_FILE_BYTES = 64 * 1024 * 1024;

export function composerFileKind(path: string): ComposerFileKind | undefined {
  if (path === 'composer/installed.json' || path.endsWith('/composer/installed.json')) return 'installed';
  const isLock = path === 'composer.lock' || path.endsWith('/composer.lock');
  return isLock && !/(?:^|\/)vendor\//.test(path) ? 'lock' : undefined;
}

export const composer = {
  id: 'composer',
  version: 1,
  wants: (path: string, _size: number): boolean => composerFileKind(path) !== undefined,
  analyze: (input: AnalyzerInput): Promise<AnalyzerResult> => analyzeEachFile(input, analyzeFile),
} satisfies Analyzer;

async function analyzeFile(file: AnalyzerFile, list: IssueList): Promise<Package[]> {
  const kind = composerFileKind(file.path) ?? 'installed';
  if (file.content.size > MAX_COMPOSER_FILE_BYTES) {
    list.add(
      'file-unreadable',
      `${file.content.size} bytes, above the ${MAX_COMPOSER_FILE_BYTES}-byte limit; not read`,
    );
    return [];
  }
  const bytes = await readOrReport(file, list);
  if (!bytes) return [];
  const { records, problems } = parseComposerFile(bytes, kind);
  for (const problem of problems) list.add(problem.code, problem.message);
  const location = list.location;
  const packages: Package[] = [];
  const seen = new Map<string, string>();
  for (const record of records) {
    // Composer installs one version per name; a second entry is a corrupt or hand-edited file.
    const key = record.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      list.add('duplicate-package', `${record.at}: ${record.name} listed again (first at ${first}); ignored`);
      continue;
    }
    seen.set(key, record.at);
    packages.push(composerPackage(record, location));
  }
  return packages;
}
