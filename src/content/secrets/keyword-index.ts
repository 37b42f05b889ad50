import type { Rule } from './rules.js';

/**
 * All keywords of a rule set as one alternation of literals, searched once over lower-cased
 * text (one pass, instead of one `indexOf` pass per keyword). Literal alternation has no
 * quantifier, so it is linear too.
 */
export class KeywordIndex {
  readonly regex: RegExp;
  private readonly byKeyword = new Map<string, Rule[]>();

  constructor(readonly rules: readonly Rule[]) {
    for (const rule of rules) {
      for (const k of rule.keywords) this.byKeyword.set(k, [...(this.byKeyword.get(k) ?? []), rule]);
    }
    const literals = [...this.byKeyword.keys()].sort((a, b) => b.length - a.length);
    this.regex = new RegExp(literals.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
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
