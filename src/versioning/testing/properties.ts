import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VersionScheme } from '../scheme.js';
import { type IndexedCorpus, seeded } from './corpus.js';

/**
 * Test support: the order properties over one scheme's own corpus, as a `<id> properties over the
 * corpus` suite. Reflexivity on every version the scheme accepts, antisymmetry on every pair of
 * `corpus.pairs` it accepts both sides of, transitivity on 20000 seeded random triples of accepted
 * versions. (`contract.test.ts` checks the same properties on a 400-value sample of the shared
 * pool; these run on each scheme's grouped pairs and adversarial strings.)
 */
export function describeOrderProperties<V>(scheme: VersionScheme<V>, corpus: IndexedCorpus): void {
  describe(`${scheme.id} properties over the corpus`, () => {
    const parsed = corpus.versions.map((v) => scheme.parse(v));
    const accepted = corpus.versions.filter((_, i) => parsed[i]!.ok);
    const valid = parsed.flatMap((r) => (r.ok ? [r.value] : []));
    const name = (i: number): string => JSON.stringify(accepted[i]);

    it('compares every version equal to itself and antisymmetrically', () => {
      valid.forEach((v, i) => {
        assert.equal(scheme.compare(v, v), 0, `compare(x, x) == 0 for ${name(i)}`);
      });
      for (const [i, j] of corpus.pairs) {
        const a = parsed[i]!;
        const b = parsed[j]!;
        if (a.ok && b.ok) {
          assert.equal(
            scheme.compare(a.value, b.value),
            -scheme.compare(b.value, a.value) || 0,
            `antisymmetry ${JSON.stringify(corpus.versions[i])} vs ${JSON.stringify(corpus.versions[j])}`,
          );
        }
      }
    });

    it('is transitive over random triples', () => {
      const next = seeded(7);
      const any = (): number => Math.floor(next() * valid.length);
      for (let k = 0; k < 20000; k++) {
        const [a, b, c] = [any(), any(), any()];
        const ab = scheme.compare(valid[a]!, valid[b]!);
        const bc = scheme.compare(valid[b]!, valid[c]!);
        const ac = scheme.compare(valid[a]!, valid[c]!);
        const msg = `transitivity ${name(a)}, ${name(b)}, ${name(c)}`;
        if (ab <= 0 && bc <= 0) assert.ok(ac <= 0, msg);
        if (ab === 0 && bc === 0) assert.equal(ac, 0, msg);
      }
    });
  });
}
