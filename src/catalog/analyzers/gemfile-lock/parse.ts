/**
 * Bundler's lockfile (`Gemfile.lock`, or `gems.locked`): sections start at column 0; the source
 * sections (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) have `  specs:` followed by one
 * `    name (version[-platform])` line per locked gem (four spaces) and its dependencies at six
 * spaces, which are requirements, not packages. Bundler's own parser
 * (https://github.com/rubygems/rubygems/blob/master/bundler/lib/bundler/lockfile_parser.rb,
 * `NAME_VERSION`) splits the version from the platform at the first `-`, since gem versions
 * cannot contain one. `PLATFORMS`, `DEPENDENCIES`, `CHECKSUMS`, `RUBY VERSION`, `BUNDLED WITH`
 * list no packages. Pure and linear: one pass over the lines.
 */
import { describeLineProblem, type LineProblem, splitLines } from '../../text-lines.js';

export interface LockedGem {
  name: string;
  version: string;
  platform?: string;
  /** The source section: `GEM`, `GIT`, `PATH` or `PLUGIN SOURCE`. */
  source: string;
  line: number;
}

export interface LockProblem {
  line: number;
  code: 'malformed-record' | LineProblem;
  message: string;
}

const SOURCE_SECTIONS: ReadonlySet<string> = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);
const SPEC = /^ {4}([^ ()]+) \(([^)]*)\)!?$/;

export function parseGemfileLock(bytes: Buffer): { gems: LockedGem[]; problems: LockProblem[] } {
  const gems: LockedGem[] = [];
  const problems: LockProblem[] = [];
  let section = '';
  let inSpecs = false;
  for (const line of splitLines(bytes)) {
    if (line.problem)
      problems.push({ line: line.number, code: line.problem, message: describeLineProblem(line.problem) });
    if (line.problem && line.problem !== 'invalid-utf8') continue;
    const text = line.text;
    if (text.trim() === '') continue;
    if (text[0] === '\t') {
      problems.push({
        line: line.number,
        code: 'malformed-record',
        message: 'tab indentation; line skipped',
      });
      continue;
    }
    if (text[0] !== ' ') {
      section = text.trim();
      inSpecs = false;
      continue;
    }
    if (!SOURCE_SECTIONS.has(section)) continue;
    if (text === '  specs:') {
      inSpecs = true;
    } else if (inSpecs && text.startsWith('    ') && text[4] !== ' ') {
      const gem = specLine(text, section, line.number);
      if (gem) gems.push(gem);
      else
        problems.push({
          line: line.number,
          code: 'malformed-record',
          message: 'spec line is not "name (version)"',
        });
    } else if (!text.startsWith('  ')) {
      problems.push({
        line: line.number,
        code: 'malformed-record',
        message: 'one-space indentation; line skipped',
      });
    }
  }
  return { gems, problems };
}

function specLine(text: string, source: string, line: number): LockedGem | undefined {
  const match = SPEC.exec(text);
  if (!match) return undefined;
  const full = match[2]!.trim();
  const dash = full.indexOf('-');
  const version = dash === -1 ? full : full.slice(0, dash);
  const platform = dash === -1 ? undefined : full.slice(dash + 1);
  if (version === '' || platform === '') return undefined;
  const gem: LockedGem = { name: match[1]!, version, source, line };
  if (platform !== undefined) gem.platform = platform;
  return gem;
}
