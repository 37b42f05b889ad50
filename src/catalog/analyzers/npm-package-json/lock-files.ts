/**
 * The analyze step shared by the yarn and pnpm lock analyzers: read each file, parse it with
 * the format's pure parser, keep registry packages with a valid npm name and version, and
 * report the same name@version once (one lock lists it for several ranges or peer variants).
 */

import type { IssueCode } from '../../../model/issue.js';
import type { AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList, readOrReport } from '../../issue-list.js';
import { isNpmName, isReportableVersion, npmPackage } from './package.js';

export interface LockEntry {
  name: string;
  version: string;
  line?: number;
}

export interface ParsedLock {
  entries: LockEntry[];
  problems: { code: IssueCode; message: string; line?: number }[];
}

export async function analyzeNpmLockFiles(
  input: AnalyzerInput,
  parse: (bytes: Buffer) => ParsedLock,
): Promise<AnalyzerResult> {
  const result: AnalyzerResult = { packages: [], issues: [] };
  for (const file of input.files) {
    const location = locate(input.layer, file.path);
    const issues = new IssueList(location);
    const bytes = await readOrReport(file, issues);
    const parsed = bytes && parse(bytes);
    for (const problem of parsed ? parsed.problems : [])
      issues.add(problem.code, problem.message, problem.line);
    const seen = new Set<string>();
    for (const entry of parsed ? parsed.entries : []) {
      if (!isNpmName(entry.name) || !isReportableVersion(entry.version)) {
        const what = `${entry.name.slice(0, 100)}@${entry.version.slice(0, 100)}`;
        issues.add('invalid-field', `${JSON.stringify(what)} is not an npm name and version`, entry.line);
        continue;
      }
      const key = `${entry.name}@${entry.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.packages.push(npmPackage(entry.name, entry.version, [], location));
    }
    result.issues.push(...issues.toArray());
  }
  return result;
}
