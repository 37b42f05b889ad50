/**
 * Reads a history entry's `created_by` back into a Dockerfile instruction. Builders write it
 * in three shapes (none of them specified; these are what Docker and BuildKit emit):
 * - legacy builder, metadata instruction: `/bin/sh -c #(nop)  USER app`, `… #(nop) ADD file:… in /`;
 * - legacy builder, RUN: `/bin/sh -c apt-get …`, with the build ARGs it used as a prefix:
 *   `|2 A=b C=d /bin/sh -c …`;
 * - BuildKit: the instruction itself, `USER 1000`, `ENV A=b`, `RUN |1 TOKEN=x /bin/sh -c … # buildkit`.
 * Values in `A=b` pairs are written unquoted, so a value holding a space cannot be told apart
 * from what follows it; the pair then holds only the first word (README "Known limits").
 * Every regular expression here has bounded repetitions: a hostile history costs linear time.
 */

export interface Instruction {
  /** Upper-case keyword: `RUN`, `USER`, `ENV`, `ARG`, `ADD`, `HEALTHCHECK`… */
  keyword: string;
  /** The rest, trimmed; for RUN without its `|N …` build-arg prefix. */
  args: string;
  /** RUN only: the build ARGs of the `|N A=b …` prefix, in order. */
  buildArgs?: Pair[];
}

export interface Pair {
  name: string;
  value: string;
}

const BUILDKIT_SUFFIX = /\s{1,8}# buildkit$/;
const NOP = /^\S{1,64}(?: -c)? #\(nop\)\s{0,16}/;
const SHELL_RUN = /^(?:\/bin\/sh|\/bin\/bash|sh|bash) -c /;
const KEYWORD = /^([A-Za-z]{2,12})(?:\s|$)/;
const ARG_PREFIX = /^\|(\d{1,4})\s/;
const PAIR_START = /^[A-Za-z_][A-Za-z0-9_.-]{0,255}=/;

export function parseCreatedBy(createdBy: string | undefined): Instruction | undefined {
  let text = (createdBy ?? '').trim().replace(BUILDKIT_SUFFIX, '');
  const nop = NOP.exec(text);
  if (nop) text = text.slice(nop[0].length).trim();
  else if (SHELL_RUN.test(text) || ARG_PREFIX.test(text)) return runInstruction(text);
  const keyword = KEYWORD.exec(text);
  if (!keyword) return undefined;
  const upper = keyword[1]!.toUpperCase();
  const args = text.slice(keyword[0].length).trim();
  return upper === 'RUN' ? runInstruction(args) : { keyword: upper, args };
}

function runInstruction(args: string): Instruction {
  const prefix = ARG_PREFIX.exec(args);
  if (!prefix) return { keyword: 'RUN', args };
  const { pairs, rest } = readPairs(args.slice(prefix[0].length), Number(prefix[1]));
  return { keyword: 'RUN', args: rest, buildArgs: pairs };
}

/**
 * `A=b C=d` pairs at the start of `text`, at most `limit`. A word that does not start a pair
 * continues the previous value (a value with spaces); the last pair's value is one word.
 */
export function readPairs(text: string, limit = Number.POSITIVE_INFINITY): { pairs: Pair[]; rest: string } {
  const words = text.split(' ');
  const pairs: Pair[] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (word === '') continue;
    if (PAIR_START.test(word)) {
      if (pairs.length === limit) break;
      const eq = word.indexOf('=');
      pairs.push({ name: word.slice(0, eq), value: word.slice(eq + 1) });
    } else if (pairs.length > 0 && pairs.length < limit) {
      pairs[pairs.length - 1]!.value += ` ${word}`;
    } else break;
  }
  return { pairs, rest: words.slice(i).join(' ').trim() };
}

/** `ENV A=b C=d` / `ARG A=b C`: the pairs that carry a value (`ARG C` declares without one). */
export function assignments(instruction: Instruction): Pair[] {
  if (instruction.keyword === 'RUN') return instruction.buildArgs ?? [];
  if (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG') return [];
  return readPairs(instruction.args).pairs;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'\],]{1,2048}/gi;
const BLANKS = /\s{1,64}/;

/** Every pattern of this module, for the linear-time check in the tests. */
export const HISTORY_PATTERNS: readonly RegExp[] = [
  BUILDKIT_SUFFIX,
  NOP,
  SHELL_RUN,
  KEYWORD,
  ARG_PREFIX,
  PAIR_START,
  URL_IN_TEXT,
  BLANKS,
];

/** The http(s) URLs an `ADD` instruction downloads (its last argument is the destination). */
export function addedUrls(instruction: Instruction): string[] {
  if (instruction.keyword !== 'ADD') return [];
  const words = instruction.args.split(BLANKS).filter((w) => w !== '' && !w.startsWith('--'));
  const sources = words.slice(0, -1).join(' ');
  return [...sources.matchAll(URL_IN_TEXT)].map((m) => m[0]);
}

/** A URL as safe to print: scheme, host and path; no user-info, query or fragment. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    const end = url.search(/[?#]/);
    const bare = end < 0 ? url : url.slice(0, end);
    const start = bare.indexOf('//') + 2;
    const at = bare.indexOf('@', start);
    const slash = bare.indexOf('/', start);
    return at < 0 || (slash >= 0 && slash < at) ? bare : bare.slice(0, start) + bare.slice(at + 1);
  }
}
