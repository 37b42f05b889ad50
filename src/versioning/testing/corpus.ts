import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Test support (not part of the library): corpus files and pair generation for the table,
 * contract and differential tests. Corpus files live in `testdata/` beside each scheme: one
 * version per line, lines starting with `#` are comments, nothing is trimmed (spaces matter).
 */
export function readCorpus(file: URL): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

/** Every `testdata/*.txt` file under `dir` (recursively), e.g. all schemes' corpora. */
export function corpusFiles(dir: URL): URL[] {
  const out: URL[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    if (entry.isDirectory()) out.push(...corpusFiles(url));
    else if (entry.name.endsWith('.txt') && dir.pathname.endsWith('/testdata/')) out.push(url);
  }
  return out;
}

/** A small seeded PRNG (mulberry32) so every run draws the same "random" pairs. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickOne<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

export type Pair = readonly [string, string];

/**
 * Pairs that exercise a comparator: all pairs inside groups of similar versions (same `key`,
 * at most `perGroup` pairs from each group) plus `random` pairs drawn from the whole list.
 */
export function makePairs(
  values: readonly string[],
  options: { key: (v: string) => string; perGroup: number; random: number; seed: number },
): Pair[] {
  const groups = new Map<string, string[]>();
  for (const v of values) {
    const k = options.key(v);
    const g = groups.get(k);
    if (g) g.push(v);
    else groups.set(k, [v]);
  }
  const rnd = seeded(options.seed);
  const pairs: Pair[] = [];
  for (const group of groups.values()) {
    const all: Pair[] = [];
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) all.push([group[i]!, group[j]!]);
    }
    for (let n = 0; n < Math.min(options.perGroup, all.length); n++) {
      const at = n + Math.floor(rnd() * (all.length - n));
      [all[n], all[at]] = [all[at]!, all[n]!];
      pairs.push(all[n]!);
    }
  }
  for (let n = 0; n < options.random; n++) pairs.push([pickOne(values, rnd), pickOne(values, rnd)]);
  return pairs;
}

/** Every ordered pair of `values`, each with itself too: the edge-case tables' all-against-all pairs. */
export function crossPairs(values: readonly string[]): Pair[] {
  return values.flatMap((a) => values.map((b): Pair => [a, b]));
}

/** Groups versions by their first two dot/plus/tilde/hyphen separated parts (and epoch). */
export function leadingParts(v: string): string {
  return v.split(/[.+~_-]/, 2).join('.');
}

/** Two positions in {@link IndexedCorpus.versions}. */
export type IndexPair = readonly [number, number];

/** Distinct versions, and the pairs of them (by position) that the property and differential tests check. */
export interface IndexedCorpus {
  readonly versions: readonly string[];
  readonly pairs: readonly IndexPair[];
}

/**
 * A corpus grouped by package plus adversarial strings, as the pep440, maven, rubygems, nuget and
 * composer tests keep it: `testdata/versions.txt` has one version per line, a `# group: NAME` line
 * starts each package's versions (other `#` lines are comments, nothing is trimmed), and
 * `testdata/adversarial.json` is a JSON array read as one more group. The pairs are every pair
 * inside each group plus `random` (default 5000) pairs drawn with {@link seeded}`(seed)` from all
 * versions.
 */
export function loadGroupedCorpus(testdata: URL, options: { seed: number; random?: number }): IndexedCorpus {
  const groups: string[][] = [];
  for (const line of readFileSync(new URL('versions.txt', testdata), 'utf8').split('\n')) {
    if (line.startsWith('# group: ')) groups.push([]);
    else if (line !== '' && !line.startsWith('#')) groups.at(-1)?.push(line);
  }
  const adversarial: unknown = JSON.parse(readFileSync(new URL('adversarial.json', testdata), 'utf8'));
  assert.ok(Array.isArray(adversarial), 'adversarial.json holds an array');
  groups.push(adversarial.map(String));
  const versions = [...new Set(groups.flat())];
  const index = new Map(versions.map((v, i) => [v, i]));
  const pairs: IndexPair[] = [];
  for (const group of groups) {
    const ids = [...new Set(group)].map((v) => index.get(v)!);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i]!, ids[j]!]);
    }
  }
  const draw = seeded(options.seed);
  const pick = (): number => Math.floor(draw() * versions.length);
  for (let k = 0; k < (options.random ?? 5000); k++) pairs.push([pick(), pick()]);
  return { versions, pairs };
}

export interface Disagreement {
  readonly a: string;
  readonly b: string;
  readonly ours: number | string;
  readonly reference: number | string;
}

/** The first few disagreements, one per line, for an assertion message. */
export function describe(list: readonly Disagreement[], max = 12): string {
  const lines = list
    .slice(0, max)
    .map(
      (d) => `  ${JSON.stringify(d.a)} vs ${JSON.stringify(d.b)}: ours ${d.ours}, reference ${d.reference}`,
    );
  const more = list.length > max ? `\n  … and ${list.length - max} more` : '';
  return `${list.length} disagreement(s):\n${lines.join('\n')}${more}`;
}
