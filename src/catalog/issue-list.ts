/**
 * Collects the located issues of one file with a cap: a file of binary garbage must not turn
 * into a hundred thousand issues. The first `max` are kept, then one summary says how many more
 * there were, so nothing is dropped silently.
 */
import { errorMessage } from '../model/errors.js';
import type { Issue, IssueCode, Location } from '../model/issue.js';
import type { Package } from '../model/package.js';
import { type AnalyzerFile, type AnalyzerInput, type AnalyzerResult, locate } from './analyzer.js';

export const DEFAULT_MAX_ISSUES_PER_FILE = 25;

export class IssueList {
  private readonly kept: Issue[] = [];
  private dropped = 0;

  constructor(
    readonly location: Location,
    private readonly max = DEFAULT_MAX_ISSUES_PER_FILE,
  ) {}

  add(code: IssueCode, message: string, line?: number): void {
    if (this.kept.length >= this.max) {
      this.dropped++;
      return;
    }
    const issue: Issue = { code, message: `${this.location.path}: ${message}`, location: this.location };
    if (line !== undefined) issue.line = line;
    this.kept.push(issue);
  }

  get count(): number {
    return this.kept.length + this.dropped;
  }

  toArray(): Issue[] {
    if (this.dropped === 0) return [...this.kept];
    const summary: Issue = {
      code: 'issues-truncated',
      message: `${this.location.path}: ${this.dropped} more issues not listed`,
      location: this.location,
    };
    return [...this.kept, summary];
  }
}

/** The file's bytes, or undefined with a `file-unreadable` issue (a spill file can vanish or fail). */
export async function readOrReport(file: AnalyzerFile, issues: IssueList): Promise<Buffer | undefined> {
  try {
    return await file.content.read();
  } catch (err) {
    issues.add('file-unreadable', `cannot read: ${errorMessage(err)}`);
    return undefined;
  }
}

/**
 * The per-file loop most analyzers share: each file gets its own capped `IssueList`, located at
 * the file in this layer; the callback returns the file's packages.
 */
export async function analyzeEachFile(
  input: AnalyzerInput,
  analyzeFile: (file: AnalyzerFile, issues: IssueList) => Promise<Package[]> | Package[],
): Promise<AnalyzerResult> {
  const result: AnalyzerResult = { packages: [], issues: [] };
  for (const file of input.files) {
    const issues = new IssueList(locate(input.layer, file.path));
    result.packages.push(...(await analyzeFile(file, issues)));
    result.issues.push(...issues.toArray());
  }
  return result;
}
