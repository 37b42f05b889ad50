/**
 * .NET: `<app>.deps.json` (next to every framework-dependent or self-contained app the SDK
 * publishes) and NuGet's `packages.lock.json` (a project's lockfile, when the image carries
 * sources). Each file is read on its own.
 */
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerFile, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { analyzeEachFile, type IssueList, readOrReport } from '../../issue-list.js';
import { nugetPackage } from './package.js';
import { type DotnetFileKind, parseDotnetFile } from './parse.js';

/** Large apps' manifests are a few MiB; JSON.parse of more would cost too much memory. */
export const MAX_DOTNET_FILE_BYTES = 64 * 1024 * 1024;

export function dotnetFileKind(path: string): DotnetFileKind | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'packages.lock.json') return 'lock';
  return base.length > '.deps.json'.length && base.endsWith('.deps.json') ? 'deps' : undefined;
}

export const dotnetDeps = {
  id: 'dotnet-deps',
  version: 1,
  wants: (path: string, _size: number): boolean => dotnetFileKind(path) !== undefined,
  analyze: (input: AnalyzerInput): Promise<AnalyzerResult> => analyzeEachFile(input, analyzeFile),
} satisfies Analyzer;

async function analyzeFile(file: AnalyzerFile, list: IssueList): Promise<Package[]> {
  if (file.content.size > MAX_DOTNET_FILE_BYTES) {
    list.add(
      'file-unreadable',
      `${file.content.size} bytes, above the ${MAX_DOTNET_FILE_BYTES}-byte limit; not read`,
    );
    return [];
  }
  const bytes = await readOrReport(file, list);
  if (!bytes) return [];
  const { records, problems } = parseDotnetFile(bytes, dotnetFileKind(file.path) ?? 'deps');
  for (const problem of problems) list.add(problem.code, problem.message);
  const location = list.location;
  const packages: Package[] = [];
  // NuGet ids are case-insensitive. A lockfile lists a package once per target framework: the
  // same version again is expected and merged; in a deps.json a repeat can only be a corrupt file.
  const seen = new Map<string, string>();
  for (const record of records) {
    const key = `${record.name.toLowerCase()}/${record.version.toLowerCase()}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, record.at);
      packages.push(nugetPackage(record, location));
    } else if (record.at.startsWith('libraries')) {
      list.add('duplicate-package', `${record.at}: listed again (first as ${first}); ignored`);
    }
  }
  return packages;
}
