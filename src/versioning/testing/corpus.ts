import { readdirSync, readFileSync } from 'node:fs';
import type { Order } from '../digits.js';

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

/** Groups versions by their first two dot/plus/tilde/hyphen separated parts (and epoch). */
export function leadingParts(v: string): string {
  return v.split(/[.+~_-]/, 2).join('.');
}

export interface Disagreement {
  readonly a: string;
  readonly b: string;
  readonly ours: Order | string;
  readonly reference: Order | string;
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
