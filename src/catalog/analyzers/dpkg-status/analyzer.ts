/**
 * dpkg: `/var/lib/dpkg/status`, and distroless images' `/var/lib/dpkg/status.d/<name>` (one
 * file per package, written by the image builder instead of dpkg; `<name>.md5sums` siblings
 * hold file checksums and are not wanted). The status.d files of a layer arrive together, so a
 * package listed twice is reported once, with an issue.
 */
import type { Issue } from '../../../model/issue.js';
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerFile, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { stanzaToPackage } from './package.js';
import { parseStanzas } from './parse.js';

export const STATUS_FILE = 'var/lib/dpkg/status';
export const STATUS_DIR = 'var/lib/dpkg/status.d/';

function isStatusDirEntry(path: string): boolean {
  if (!path.startsWith(STATUS_DIR)) return false;
  const name = path.slice(STATUS_DIR.length);
  return name !== '' && !name.includes('/') && !name.endsWith('.md5sums');
}

export const dpkgStatus = {
  id: 'dpkg-status',
  version: 1,
  wants: (path: string, _size: number): boolean => path === STATUS_FILE || isStatusDirEntry(path),
  groupOf: (path: string): string | undefined => (isStatusDirEntry(path) ? STATUS_DIR : undefined),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const packages: Package[] = [];
    const issues: Issue[] = [];
    const seen = new Map<string, string>();
    for (const file of input.files) {
      const result = await analyzeFile(input, file, seen);
      packages.push(...result.packages);
      issues.push(...result.issues);
    }
    return { packages, issues };
  },
} satisfies Analyzer;

async function analyzeFile(
  input: AnalyzerInput,
  file: AnalyzerFile,
  seen: Map<string, string>,
): Promise<AnalyzerResult> {
  const location = locate(input.layer, file.path);
  const issues = new IssueList(location);
  const bytes = await readOrReport(file, issues);
  if (!bytes) return { packages: [], issues: issues.toArray() };
  const parsed = parseStanzas(bytes);
  for (const problem of parsed.problems) issues.add(problem.code, problem.message, problem.line);
  const packages: Package[] = [];
  for (const stanza of parsed.stanzas) {
    const verdict = stanzaToPackage(stanza, location, file.path === STATUS_FILE);
    if (verdict.kind === 'invalid') issues.add(verdict.code, verdict.message, stanza.line);
    if (verdict.kind !== 'package') continue;
    // dpkg keys its database by name and architecture; a second stanza for the same pair is corrupt.
    const key = `${verdict.pkg.name}:${verdict.pkg.arch ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.add(
        'duplicate-package',
        `${key} listed again (first in ${first}); this stanza ignored`,
        stanza.line,
      );
      continue;
    }
    seen.set(key, file.path);
    packages.push(verdict.pkg);
  }
  return { packages, issues: issues.toArray() };
}
