/**
 * Rust lock files: `Cargo.lock`, the crates a Cargo project resolved. Reported: every crate from
 * a registry or git; not reported: workspace members and path dependencies (no `source`): they
 * are the project's own code, not published crates, and matching them by name against
 * crates.io advisories would flag a local crate that happens to share a published name.
 */
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { cratePackage, isExternalSource } from './package.js';
import { parseCargoLock } from './parse.js';

/** Big workspaces lock ~1,000 crates in well under 1 MiB. */
export const MAX_LOCK_BYTES = 16 * 1024 * 1024;
/** Copies inside Cargo's own download cache are sources of crates, not what the image runs. */
const CARGO_CACHE = /(^|\/)\.cargo\/registry\//;

export const cargoLock = {
  id: 'cargo-lock',
  version: 1,
  wants: (path: string, size: number): boolean =>
    (path === 'Cargo.lock' || path.endsWith('/Cargo.lock')) &&
    size <= MAX_LOCK_BYTES &&
    !CARGO_CACHE.test(path),
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const result: AnalyzerResult = { packages: [], issues: [] };
    for (const file of input.files) {
      const location = locate(input.layer, file.path);
      const issues = new IssueList(location);
      const bytes = await readOrReport(file, issues);
      if (bytes) result.packages.push(...packagesOf(bytes, location, issues));
      result.issues.push(...issues.toArray());
    }
    return result;
  },
} satisfies Analyzer;

function packagesOf(bytes: Buffer, location: Package['locations'][number], issues: IssueList): Package[] {
  const parsed = parseCargoLock(bytes);
  for (const p of parsed.problems) issues.add(p.code, p.message, p.line);
  const packages: Package[] = [];
  const seen = new Map<string, number>();
  for (const crate of parsed.crates) {
    if (!isExternalSource(crate.source)) continue;
    // Cargo may lock one name at several versions, but never the same name, version and source twice.
    const key = `${crate.name}@${crate.version} ${crate.source}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.add(
        'duplicate-package',
        `${crate.name}@${crate.version} listed again (first at line ${first})`,
        crate.line || undefined,
      );
      continue;
    }
    seen.set(key, crate.line);
    packages.push(cratePackage(crate.name, crate.version, crate.source, location));
  }
  return packages;
}
