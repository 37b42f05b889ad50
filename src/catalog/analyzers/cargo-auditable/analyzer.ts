/**
 * Rust programs built with cargo-auditable: the crates compiled in, from the `.dep-v0` section
 * of ELF files (Windows PE and Mach-O carry it too; not read yet). Reported: crates linked into
 * the program (kind `runtime`, the root included) whose code came from crates.io, a registry or
 * git; not reported: build-only crates (build scripts, proc-macros: they ran at build time and
 * are not in the program) and `local` crates (the project's own code, as in `cargo-lock`).
 * Files without the section (most programs) give nothing and no issue.
 */
import type { Location } from '../../../model/issue.js';
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { analyzeEachFile, type IssueList, readOrReport } from '../../issue-list.js';
import { cratePackage } from '../cargo-lock/package.js';
import { isBinaryCandidate } from '../go-binary/binary-paths.js';
import { findSection, parseElf, sectionBytes } from '../go-binary/elf.js';
import { parseAuditable } from './parse.js';

export const SECTION = '.dep-v0';

export const cargoAuditable = {
  id: 'cargo-auditable',
  version: 1,
  wants: (path: string, size: number): boolean => isBinaryCandidate(path, size),
  analyze: (input: AnalyzerInput): Promise<AnalyzerResult> =>
    analyzeEachFile(input, async (file, issues) => {
      const bytes = await readOrReport(file, issues);
      return bytes ? packagesOf(bytes, issues.location, issues) : [];
    }),
} satisfies Analyzer;

function packagesOf(bytes: Buffer, location: Location, issues: IssueList): Package[] {
  const parsed = parseElf(bytes);
  if (parsed.kind !== 'elf') return [];
  const section = findSection(parsed.elf, SECTION);
  if (!section) return [];
  const data = sectionBytes(bytes, section);
  if (!data) {
    issues.add('truncated-file', `${SECTION} section points outside the file`);
    return [];
  }
  const audit = parseAuditable(data);
  for (const p of audit.problems) issues.add(p.code, p.message);
  const packages: Package[] = [];
  const seen = new Set<string>();
  for (const crate of audit.crates) {
    if (crate.kind === 'build' || crate.source === 'local') continue;
    const key = `${crate.name}@${crate.version} ${crate.source}`;
    if (seen.has(key)) {
      issues.add(
        'duplicate-package',
        `${SECTION}: ${crate.name}@${crate.version} listed again (package ${crate.index})`,
      );
      continue;
    }
    seen.add(key);
    // "git" and "registry" name no URL, so the purl cannot say which repository: plain, like crates.io.
    packages.push(cratePackage(crate.name, crate.version, undefined, location));
  }
  return packages;
}
