/**
 * The text detectors of one file (secret rules and threat indicators), as one pure function so
 * it can run on the walk's thread or in a worker (`text-pool.ts`). Rules cross the thread
 * boundary as plain data (`RuleSpec`): built-in rules by id (their verifiers are code), custom
 * rules by pattern.
 */
import type { SuppressReason } from './secrets/noise.js';
import { builtinRules, type Rule, type Severity } from './secrets/rules.js';
import { type SecretMatch, scanText } from './secrets/scan.js';
import { scanIndicators } from './threats/indicators.js';
import type { ContentHit } from './types.js';

export type RuleSpec =
  | { builtin: string }
  | {
      id: string;
      category: string;
      title: string;
      severity: Severity;
      keywords: string[];
      source: string;
      flags: string;
    };

export interface TextScanSpec {
  /** Absent: secrets are not scanned. */
  rules?: RuleSpec[];
  indicators: boolean;
}

export interface TextScanResult {
  hits: ContentHit[];
  suppressed: Array<{ id: string; line: number; reason: SuppressReason; match: string }>;
  truncated: boolean;
}

const builtinById = new Map<string, Rule>(builtinRules.map((r) => [r.id, r]));

export function ruleSpecs(rules: readonly Rule[]): RuleSpec[] {
  return rules.map((r) =>
    builtinById.get(r.id) === r
      ? { builtin: r.id }
      : {
          id: r.id,
          category: r.category,
          title: r.title,
          severity: r.severity,
          keywords: [...r.keywords],
          source: r.regex.source,
          flags: r.regex.flags,
        },
  );
}

export function rulesOf(specs: readonly RuleSpec[]): Rule[] {
  return specs.map((s) => {
    if ('builtin' in s) {
      const rule = builtinById.get(s.builtin);
      if (!rule) throw new Error(`unknown built-in secret rule ${s.builtin}`);
      return rule;
    }
    return { ...s, regex: new RegExp(s.source, s.flags) };
  });
}

const titles = new WeakMap<readonly Rule[], Map<string, string>>();

/** A secret match as a hit (rule title, redacted value, position, fingerprint): never the value. */
export function secretHit(m: SecretMatch, rules: readonly Rule[]): ContentHit {
  let byId = titles.get(rules);
  if (!byId) {
    byId = new Map(rules.map((r) => [r.id, r.title]));
    titles.set(rules, byId);
  }
  return {
    kind: 'secret',
    id: m.ruleId,
    title: byId.get(m.ruleId) ?? m.ruleId,
    category: m.category,
    severity: m.severity,
    line: m.line,
    column: m.column,
    match: m.redacted,
    fingerprint: m.fingerprint,
  };
}

export function scanTextFile(
  path: string,
  bytes: Buffer,
  rules: readonly Rule[] | undefined,
  indicators: boolean,
): TextScanResult {
  const out: TextScanResult = { hits: [], suppressed: [], truncated: false };
  if (rules) {
    const found = scanText(bytes, { path, rules });
    for (const m of found.matches) out.hits.push(secretHit(m, rules));
    for (const s of found.suppressed)
      out.suppressed.push({ id: s.ruleId, line: s.line, reason: s.reason, match: s.redacted });
    out.truncated = found.truncated === true;
  }
  if (indicators) out.hits.push(...scanIndicators(bytes, path));
  return out;
}
