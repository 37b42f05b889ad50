/**
 * yarn v1 (classic) `yarn.lock`: not YAML but yarn's own format
 * (https://classic.yarnpkg.com/lang/en/docs/yarn-lock/; the writer is yarn's
 * src/lockfile/stringify.js): `#` comments, one block per resolved package whose header lists its
 * descriptors (`"@types/node@^20", "@types/node@^20.1":`), then indented `key value` lines with
 * quoted strings (`version "20.19.43"`) and nested blocks (`dependencies:`). One linear pass over
 * the lines; only `version` of each block is kept, the name comes from the first descriptor.
 */
import { describeLineProblem, splitLines } from '../../text-lines.js';
import type { LockProblem, YarnEntry } from './parse.js';
import { nameOfDescriptor } from './parse.js';

export function parseYarnV1(bytes: Buffer): { entries: YarnEntry[]; problems: LockProblem[] } {
  const entries: YarnEntry[] = [];
  const problems: LockProblem[] = [];
  let block: { line: number; descriptor: string; version?: string } | undefined;
  const finish = (): void => {
    if (!block) return;
    const target = nameOfDescriptor(block.descriptor);
    if (!target) {
      problems.push({
        line: block.line,
        code: 'invalid-field',
        message: `unreadable descriptor ${block.descriptor}`,
      });
    } else if (block.version === undefined) {
      problems.push({ line: block.line, code: 'missing-field', message: `${block.descriptor}: no version` });
    } else if (target.registry) {
      entries.push({ name: target.name, version: block.version, line: block.line });
    }
    block = undefined;
  };
  for (const line of splitLines(bytes)) {
    if (line.problem)
      problems.push({ line: line.number, code: line.problem, message: describeLineProblem(line.problem) });
    if (line.problem && line.problem !== 'invalid-utf8') continue;
    const text = line.text;
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    if (text[0] !== ' ' && text[0] !== '\t') {
      finish();
      if (!text.endsWith(':')) {
        problems.push({
          line: line.number,
          code: 'malformed-record',
          message: 'a block header must end with ":"',
        });
        continue;
      }
      const first = text.slice(0, -1).split(/,\s*/)[0]!.trim();
      block = { line: line.number, descriptor: unquote(first) };
      continue;
    }
    // Only the block's own fields (two spaces deep) matter; deeper lines belong to nested blocks.
    if (!block || !/^ {2}\S/.test(text)) continue;
    const field = /^ {2}(version):?\s+(.*)$/.exec(text);
    if (field) block.version = unquote(field[2]!.trim());
  }
  finish();
  return { entries, problems };
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // Not a JSON string: keep the text between the quotes.
    }
    return value.slice(1, -1);
  }
  return value;
}
