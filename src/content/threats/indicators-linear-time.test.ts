/**
 * The indicator patterns must run in time linear in their input, whatever the input: each
 * pattern passes `checkRegexSafety` (bounded repetition, no nested quantifiers, a maximum match
 * no longer than the window overlap), and adversarial inputs built from every rule's keywords
 * and near-misses are timed at n and 8n bytes, as in ../secrets/linear-time.test.ts: linear
 * gives a ratio near 8, quadratic near 64; the bound of 20 leaves room for noise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRegexSafety } from '../secrets/regex-safety.js';
import { lineRules, MAX_INDICATOR_MATCH, minerConfig, scriptMarkers } from './indicator-rules.js';
import { scanIndicators } from './indicators.js';

const N = 512 * 1024;
const MiB = 1024 * 1024;

const allPatterns: RegExp[] = [
  ...lineRules.flatMap((r) => r.patterns),
  scriptMarkers.socket,
  scriptMarkers.wire,
  scriptMarkers.shell,
  minerConfig.pools.sticky,
  ...minerConfig.markers.map((m) => m.sticky),
];

function fill(unit: string, size: number, lines: boolean): Buffer {
  const text = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  return Buffer.from(lines ? text.replace(/(.{100})/g, '$1\n') : text);
}

/** Best time of `runs` scans each of `small` and `large`, interleaved so both see the same noise. */
function timedPair(small: Buffer, large: Buffer, runs: number): [number, number] {
  const best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let i = 0; i < runs; i++) {
    [small, large].forEach((bytes, j) => {
      const start = process.hrtime.bigint();
      scanIndicators(bytes, 'usr/local/bin/x.sh');
      best[j] = Math.min(best[j] as number, Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return best as [number, number];
}

function assertLinear(unit: string): void {
  for (const lines of [false, true]) {
    const [small, large] = timedPair(fill(unit, N, lines), fill(unit, 8 * N, lines), 4);
    // Below ~10 ms the timer, the JIT and the collector dominate on a busy machine: floor the base.
    const ratio = large / Math.max(small, 10);
    assert.ok(ratio < 20, `${JSON.stringify(unit.slice(0, 30))} lines=${lines}: ${small}ms -> ${large}ms`);
  }
}

/** Keywords of one rule followed by the pieces its patterns look for, never completing a match. */
function adversarialUnit(keywords: readonly string[]): string {
  const near = ['sh ', 'bash -i ', '>& ', '<&5 ', '| ', '-e ', 'exec:', 'tcp:', '|& ', 'dup2(', '/bin/sh'];
  return keywords.flatMap((k) => [k, `${k}${'a'.repeat(200)}`, ...near]).join(' ');
}

describe('indicator patterns', () => {
  it('all pass checkRegexSafety and fit in the window overlap', () => {
    for (const re of allPatterns) {
      const check = checkRegexSafety(re.source, re.flags);
      assert.ok(check.ok, `${re.source}: ${check.ok ? '' : check.reason}`);
      assert.ok(check.maxLength <= MAX_INDICATOR_MATCH, `${re.source}: ${check.maxLength}`);
    }
  });
});

describe('indicators: linear time', () => {
  for (const rule of lineRules) {
    it(`${rule.id} (${rule.form})`, () => assertLinear(adversarialUnit(rule.keywords)));
  }

  it('script markers and miner config keys', () => {
    assertLinear(adversarialUnit(scriptMarkers.keywords));
    assertLinear('"pools": [ "pools" "algo": "rx "coin": "mone "donate-level": x "randomx": ');
  });

  it('scans a 64 MiB single line (a minified bundle with keywords) in a few seconds', () => {
    const js = 'function(a,b){return a.socket&&b.nc?exec(a):"sh -i"};var x="/dev/tcp/"+y;';
    const bytes = fill(`${js}${'q=r+s;'.repeat(150)}`, 64 * MiB, false);
    const start = Date.now();
    const hits = scanIndicators(bytes, 'app/bundle.min.js');
    const ms = Date.now() - start;
    assert.ok(ms < 5_000, `${ms} ms`);
    assert.deepEqual(hits, []);
  });

  it('scans an 8 MiB single line dense with the keywords of every rule in a few seconds', () => {
    const unit = lineRules.map((r) => `${r.keywords[0]} sh -i >& <&5 | -e exec:`).join(' ');
    const bytes = fill(`${unit} socket dup2( /bin/sh "pools": [`, 8 * MiB, false);
    const start = Date.now();
    const hits = scanIndicators(bytes, 'x.sh');
    const ms = Date.now() - start;
    assert.ok(ms < 5_000, `${ms} ms`);
    assert.ok(hits.length <= 100);
  });
});
