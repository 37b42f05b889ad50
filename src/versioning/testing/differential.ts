import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Order } from '../digits.js';
import type { VersionScheme } from '../scheme.js';
import {
  type Disagreement,
  describe as describeDisagreements,
  type IndexedCorpus,
  type Pair,
} from './corpus.js';

/**
 * Test support: the two shapes of differential test. A missing reference tool fails the test
 * (the runners in `reference.ts`, `spawnReference` among them, see to that), it never skips it.
 */

/** `scheme`'s order on two strings, or `invalid (reasons)` where it rejects either (a disagreement). */
export function orderOf<V>(scheme: VersionScheme<V>): (a: string, b: string) => Order | string {
  return (a, b) => {
    const x = scheme.parse(a);
    const y = scheme.parse(b);
    if (!x.ok || !y.ok) return `invalid (${x.ok ? '' : x.reason}${y.ok ? '' : y.reason})`;
    return scheme.compare(x.value, y.value);
  };
}

/** The pairs where `ours(a, b)` differs from `reference[i]` (a missing answer counts as `'none'`). */
function disagreements(
  pairs: readonly Pair[],
  reference: readonly (number | undefined)[],
  ours: (a: string, b: string) => number | string,
): Disagreement[] {
  const wrong: Disagreement[] = [];
  pairs.forEach(([a, b], i) => {
    const mine = ours(a, b);
    if (mine !== reference[i]) wrong.push({ a, b, ours: mine, reference: reference[i] ?? 'none' });
  });
  return wrong;
}

/**
 * Asserts that `ours` agrees with the reference tool's answers on every pair (the failure message
 * lists the first disagreements), then logs `<scheme>: <n> <checked>, 0 disagreements`.
 */
export function assertAgreement(
  pairs: readonly Pair[],
  reference: readonly (number | undefined)[],
  ours: (a: string, b: string) => number | string,
  log: { scheme: string; checked: string },
): void {
  const wrong = disagreements(pairs, reference, ours);
  assert.equal(wrong.length, 0, describeDisagreements(wrong));
  console.log(`${log.scheme}: ${pairs.length} ${log.checked}, 0 disagreements`);
}

/**
 * A `title` suite with one test comparing `scheme` with a reference tool on a whole
 * {@link IndexedCorpus}. `run` gets the tool's stdin and returns its stdout:
 * - stdin: the count N, the N versions hex-encoded (UTF-8), then one `i j` line per pair;
 * - stdout: the tool's name and version, `ok`/`err` per version, then `-1`/`0`/`1` per pair, or
 *   `x` where the tool rejected one side (that rejection is already reported as a validity
 *   disagreement unless we reject it too).
 * Pairs we cannot parse both sides of are not compared. The first 15 disagreements are printed.
 */
export function describeIndexedDifferential<V>(
  title: string,
  scheme: VersionScheme<V>,
  corpus: IndexedCorpus,
  run: (input: string) => string,
): void {
  const { versions, pairs } = corpus;
  describe(title, () => {
    it(`agrees on ${versions.length} versions and ${pairs.length} pairs`, () => {
      const parsed = versions.map((v) => scheme.parse(v));
      const input = [String(versions.length), ...versions.map((v) => Buffer.from(v).toString('hex'))];
      for (const [i, j] of pairs) input.push(`${i} ${j}`);
      const [tool = '', ...lines] = run(input.join('\n')).trim().split('\n');
      const problems: string[] = [];
      versions.forEach((v, i) => {
        const theirs = lines[i] === 'ok';
        if (parsed[i]!.ok !== theirs)
          problems.push(`${JSON.stringify(v)}: ${tool} valid=${theirs}, ours=${parsed[i]!.ok}`);
      });
      pairs.forEach(([i, j], k) => {
        const theirs = lines[versions.length + k];
        const a = parsed[i]!;
        const b = parsed[j]!;
        if (!a.ok || !b.ok || theirs === 'x') return;
        const ours = scheme.compare(a.value, b.value);
        if (String(ours) !== theirs)
          problems.push(`${versions[i]} vs ${versions[j]}: ${tool} ${theirs}, ours ${ours}`);
      });
      assert.deepEqual(problems.slice(0, 15), [], `${problems.length} disagreements with ${tool}`);
    });
  });
}
