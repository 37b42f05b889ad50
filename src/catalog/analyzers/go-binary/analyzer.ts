/**
 * Go programs: the build information `go build` links into every module-aware binary (Go ≥ 1.13;
 * inline format since 1.18, pointer format before), read from ELF files and, by its aligned
 * magic, from any other executable format. Most wanted files are not Go programs (or not
 * programs at all): those give nothing and no issue. A file that is recognisably a Go ELF
 * program (Go's `.gopclntab`/`.note.go.buildid` sections) but has no readable build info gets
 * one issue naming the file, as the catalog issue asks.
 */
import type { Location } from '../../../model/issue.js';
import type { Analyzer, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { analyzeEachFile, type IssueList, readOrReport } from '../../issue-list.js';
import { isBinaryCandidate } from './binary-paths.js';
import { readBuildInfo } from './buildinfo.js';
import { type ElfFile, findSection, parseElf } from './elf.js';
import { parseModInfo } from './modinfo.js';
import { goPackages } from './package.js';

export const goBinary = {
  id: 'go-binary',
  version: 1,
  wants: (path: string, size: number): boolean => isBinaryCandidate(path, size),
  analyze: (input: AnalyzerInput): Promise<AnalyzerResult> =>
    analyzeEachFile(input, async (file, issues) => {
      const bytes = await readOrReport(file, issues);
      return bytes ? analyzeBytes(bytes, issues.location, issues) : [];
    }),
} satisfies Analyzer;

function analyzeBytes(bytes: Buffer, location: Location, issues: IssueList): AnalyzerResult['packages'] {
  const parsed = parseElf(bytes);
  const elf = parsed.kind === 'elf' ? parsed.elf : undefined;
  const info = readBuildInfo(bytes, elf);
  if (info.kind === 'none') {
    if (elf && looksLikeGo(elf)) {
      issues.add(
        'missing-field',
        'Go program without build info (stripped, or built before Go 1.13); no modules reported',
      );
    }
    return [];
  }
  if (info.kind === 'corrupt') {
    // A non-Go ELF program can hold the magic as data (a tool that reads Go binaries): no issue.
    if (elf && !looksLikeGo(elf)) return [];
    issues.add('corrupt-database', `Go build info unreadable: ${info.message}`);
    return [];
  }
  const modinfo = parseModInfo(info.modinfo);
  const built = goPackages(info.goVersion, modinfo, location);
  for (const p of [...modinfo.problems, ...built.problems]) {
    issues.add('malformed-record', `Go module info line ${p.line}: ${p.message}`);
  }
  return built.packages;
}

function looksLikeGo(elf: ElfFile): boolean {
  return ['.gopclntab', '.note.go.buildid', '.go.buildinfo'].some((name) => findSection(elf, name));
}
