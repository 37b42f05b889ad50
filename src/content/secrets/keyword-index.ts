import type { Rule } from './rules.js';

const escapeLiteral = (k: string): string => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Literals as one regex shaped like a trie (`a(?:kia|sia|ccountkey=)|g(?:hp_|ho_)|…`): at each
 * position the engine tries one branch per distinct first character instead of every literal,
 * about 1.6x faster on source code than a flat `kia|sia|…` alternation (measured on 145 MB of
 * Debian's Python, Perl, Ruby and C headers: 190 vs 120 MB/s). A word that is a prefix of
 * another ends in an optional group, so the longest literal at a position wins, as before.
 */
export function literalTrieSource(words: readonly string[]): string {
  const groups = new Map<string, string[]>();
  let endsHere = false;
  for (const w of words) {
    if (w === '') endsHere = true;
    else groups.set(w[0]!, [...(groups.get(w[0]!) ?? []), w.slice(1)]);
  }
  const branches = [...groups].map(([c, rest]) => escapeLiteral(c) + literalTrieSource(rest));
  if (branches.length === 0) return '';
  const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
  return endsHere ? `(?:${body})?` : body;
}

/**
 * All keywords of a rule set as one trie of literals, searched once over lower-cased text (one
 * pass, instead of one `indexOf` pass per keyword). Literals have no quantifier beyond optional
 * suffixes of bounded length, so it is linear too.
 */
export class KeywordIndex {
  readonly regex: RegExp;
  private readonly byKeyword = new Map<string, Rule[]>();

  constructor(readonly rules: readonly Rule[]) {
    for (const rule of rules) {
      for (const k of rule.keywords) this.byKeyword.set(k, [...(this.byKeyword.get(k) ?? []), rule]);
    }
    this.regex = new RegExp(literalTrieSource([...new Set(this.byKeyword.keys())]), 'g');
  }

  /** Calls `visit` with each keyword hit's offset and the rules of that keyword, in text order. */
  forEachHit(lower: string, visit: (at: number, rules: readonly Rule[]) => void): void {
    const re = new RegExp(this.regex);
    for (let m = re.exec(lower); m !== null; m = re.exec(lower))
      visit(m.index, this.byKeyword.get(m[0]) ?? []);
  }

  /** The rules with at least one keyword in `lower`, in rule order. */
  present(lower: string): Rule[] {
    const found = new Set<Rule>();
    this.forEachHit(lower, (_, rules) => {
      for (const r of rules) found.add(r);
    });
    return this.rules.filter((r) => found.has(r));
  }
}

const indexes = new WeakMap<readonly Rule[], Map<string, KeywordIndex>>();

/** The keyword index of the rules that apply to `path`, cached per rule set and path filter outcome. */
export function keywordIndexFor(all: readonly Rule[], path: string): KeywordIndex {
  const applies = all.map((r) => r.paths === undefined || r.paths.test(path));
  const key = applies.map((a) => (a ? '1' : '0')).join('');
  const byKey = indexes.get(all) ?? new Map<string, KeywordIndex>();
  indexes.set(all, byKey);
  const index = byKey.get(key) ?? new KeywordIndex(all.filter((_, i) => applies[i]));
  byKey.set(key, index);
  return index;
}
