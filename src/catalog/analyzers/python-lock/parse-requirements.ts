/**
 * pip requirements files (https://pip.pypa.io/en/stable/reference/requirements-file-format/):
 * only exactly pinned requirements are facts about what gets installed, so only
 * `name==version` / `name===version` (extras allowed) become records. Everything else is valid
 * pip input that pins nothing and is skipped without an issue: ranges and wildcards (`>=1`,
 * `==1.*`, `==1,!=1.5`), options and includes (`-r`, `-c`, `-e`, `--index-url`), URLs and paths.
 * Handled as pip does: `\` at the end of a line continues it, `#` at the start or after
 * whitespace starts a comment, per-requirement options (`--hash=…`) and environment markers
 * (after `;`) are cut off. Linear; lines that cannot be text are reported and skipped.
 */
import { describeLineProblem, splitLines } from '../../text-lines.js';
import { type LockProblem, type LockRecord, type ParsedLock, PYTHON_NAME } from './records.js';

const PINNED = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([A-Za-z0-9._+!-]+)$/;
const COMMENT = /(^|\s)#.*$/;
const OPTION = /\s-{1,2}[A-Za-z]/;

export function parseRequirements(bytes: Buffer): ParsedLock {
  const records: LockRecord[] = [];
  const problems: LockProblem[] = [];
  let pending = '';
  let start = 0;
  for (const line of splitLines(bytes)) {
    if (line.problem)
      problems.push({ code: line.problem, message: describeLineProblem(line.problem), line: line.number });
    if (line.problem && line.problem !== 'invalid-utf8') {
      pending = '';
      continue;
    }
    if (pending === '') start = line.number;
    if (line.text.endsWith('\\')) {
      pending += `${line.text.slice(0, -1)} `;
      continue;
    }
    const record = pinnedRequirement(pending + line.text);
    pending = '';
    if (record) records.push({ ...record, line: start });
  }
  if (pending !== '') {
    const record = pinnedRequirement(pending);
    if (record) records.push({ ...record, line: start });
  }
  return { records, problems };
}

/** One logical line → its pinned name and version, if it is an exactly pinned requirement. */
export function pinnedRequirement(logical: string): { name: string; version: string } | undefined {
  let text = logical.replace(COMMENT, '').trim();
  if (text === '' || text.startsWith('-')) return undefined;
  const option = text.search(OPTION);
  if (option !== -1) text = text.slice(0, option);
  const semicolon = text.indexOf(';');
  if (semicolon !== -1) text = text.slice(0, semicolon);
  const match = PINNED.exec(text.trim());
  if (!match || !PYTHON_NAME.test(match[1]!)) return undefined;
  return { name: match[1]!, version: match[2]! };
}
