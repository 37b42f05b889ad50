/**
 * Every rule must run in time linear in its input, including input built to make backtracking
 * regexes explode. Each adversarial input is timed at n and 8n bytes: linear gives a ratio near
 * 8, quadratic near 64; the bound of 24 (with the base floored at 10 milliseconds, where timer,
 * JIT and collector noise dominate) leaves room for noise without letting quadratic through.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinRules, type Rule } from './rules.js';
import { scanText } from './scan.js';

const N = 512 * 1024;

/** Repeats `unit` to `size` bytes, as one line or as lines of about 100 bytes. */
function fill(unit: string, size: number, lines: boolean): Buffer {
  const text = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  return Buffer.from(lines ? text.replace(/(.{100})/g, '$1\n') : text);
}

function timed(bytes: Buffer, rules: readonly Rule[], runs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    scanText(bytes, { path: 'app/config.env', rules });
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

/** Aimed at one rule: its keyword in both cases, followed by long runs and near-misses. */
function adversarialUnit(rule: Rule): string {
  const k = rule.keywords[0] ?? 'x';
  return [k, k.toUpperCase(), `${k}${'A'.repeat(300)}`, `${k}aB3/+_-.`, `${k}=`, `${k}: "`].join('');
}

const shared = [
  'a:',
  'x@',
  '-----BEGIN ',
  'a://b:c',
  'password=',
  'eyJhbGciOi.',
  'A'.repeat(1000),
  'sha512-',
  '"auth": "',
];

function assertLinear(label: string, unit: string, rules: readonly Rule[]): void {
  for (const lines of [false, true]) {
    const small = timed(fill(unit, N, lines), rules, 3);
    const large = timed(fill(unit, 8 * N, lines), rules, 3);
    // Below ~10 ms the timer, the collector and a busy machine dominate: floor the base (quadratic is 64).
    const ratio = large / Math.max(small, 10);
    assert.ok(
      ratio < 24,
      `${label} ${JSON.stringify(unit.slice(0, 20))} lines=${lines}: ${small}ms -> ${large}ms`,
    );
  }
}

describe('linear time', () => {
  for (const rule of builtinRules) {
    it(rule.id, () => {
      assertLinear(rule.id, adversarialUnit(rule), [rule]);
    });
  }

  it('all rules on shared adversarial shapes', () => {
    for (const unit of shared) assertLinear('all', unit, builtinRules);
  });

  it('scans an 8 MB adversarial single line with all rules in under 2 s', () => {
    const unit = builtinRules.map((r) => `${r.keywords[0]}${'Ab3'.repeat(7)}:`).join(' ');
    const bytes = fill(`${unit}x@a:-----BEGIN `, 8 * 1024 * 1024, false);
    const start = Date.now();
    const result = scanText(bytes, { path: 'app/config.env' });
    const ms = Date.now() - start;
    assert.ok(ms < 2000, `${ms} ms`);
    assert.equal(result.skipped, undefined);
  });
});
