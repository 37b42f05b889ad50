/**
 * The rpm database analyzer: `Packages` (BerkeleyDB), `Packages.db` (NDB) and `rpmdb.sqlite`
 * in rpm's two database directories, read in TypeScript without the rpm binary. Every record
 * that can be read becomes a package; every one that cannot becomes a located issue, and the
 * image stays `scanned` (ARCHITECTURE.md, "Partial and UNKNOWN").
 */
import { posix } from 'node:path';
import type { LayerRef } from '../../../image/types.js';
import type { Issue } from '../../../model/issue.js';
import type { Package } from '../../../model/package.js';
import { type Analyzer, type AnalyzerFile, type AnalyzerResult, locate } from '../../analyzer.js';
import { IssueList } from '../../issue-list.js';
import { toPackage } from './package.js';
import { parseRpmDb, rpmDbFormatOf } from './parse.js';

/**
 * `%_dbpath`: /var/lib/rpm everywhere, /usr/lib/sysimage/rpm where distros moved it (Fedora 36+,
 * openSUSE Tumbleweed and others; /var/lib/rpm is then a symlink, and the tar holds the real path).
 */
const DB_DIRS: ReadonlySet<string> = new Set(['var/lib/rpm', 'usr/lib/sysimage/rpm']);

/**
 * rpm's entries for imported signing keys (`rpm --import`): pseudo-packages named `gpg-pubkey`
 * with no ARCH and no SOURCERPM, not software any feed has advisories for.
 */
const PSEUDO_PACKAGES: ReadonlySet<string> = new Set(['gpg-pubkey']);

export const rpmDb = {
  id: 'rpm-db',
  version: 1,
  wants(path: string): boolean {
    return rpmDbFormatOf(path) !== undefined && DB_DIRS.has(posix.dirname(path));
  },
  async analyze(input, _ctx) {
    const packages: Package[] = [];
    const issues: Issue[] = [];
    for (const file of input.files) {
      const result = await analyzeFile(file, input.layer);
      packages.push(...result.packages);
      issues.push(...result.issues);
    }
    return { packages, issues };
  },
} satisfies Analyzer;

async function analyzeFile(file: AnalyzerFile, layer: LayerRef): Promise<AnalyzerResult> {
  const location = locate(layer, file.path);
  const issues = new IssueList(location);
  const format = rpmDbFormatOf(file.path);
  if (format === undefined) return { packages: [], issues: [] };
  let bytes: Buffer;
  try {
    bytes = await file.content.read();
  } catch (err) {
    issues.add(
      'file-unreadable',
      `cannot read the rpm database: ${err instanceof Error ? err.message : String(err)}`,
    );
    return { packages: [], issues: issues.toArray() };
  }
  const parsed = parseRpmDb(format, bytes);
  for (const problem of parsed.problems) issues.add(problem.code, problem.message);
  const packages = parsed.records
    .filter((r) => !PSEUDO_PACKAGES.has(r.name))
    .map((r) => toPackage(r, location));
  return { packages, issues: issues.toArray() };
}
