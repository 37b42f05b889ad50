import { performance } from 'node:perf_hooks';
import {
  clearParseCaches,
  compareVersions,
  isAffected,
  type OsvRange,
  type SchemeId,
  schemeIds,
  schemes,
} from '../src/versioning/index.js';
import type { VersionScheme } from '../src/versioning/scheme.js';
import { corpusFiles, readCorpus } from '../src/versioning/testing/corpus.js';

/**
 * Version comparison throughput per scheme (issue 3 goal: > 1M compares/s for deb and semver),
 * on pre-parsed values, on strings (compareVersions with its parse cache) and cold parsing, plus
 * isAffected throughput for a matcher-like workload. Prints plain text lines.
 */
const BUDGET_MS = 300;
const WARMUP_MS = 100;

/** Results feed this so the JIT cannot drop the measured work. */
export let sink = 0;

/** Runs `fn` (which does `batch` operations) until the budget is spent; returns operations/s. */
function rate(batch: number, fn: () => void): number {
  const warm = performance.now();
  while (performance.now() - warm < WARMUP_MS) fn();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < BUDGET_MS) {
    fn();
    ops += batch;
    elapsed = performance.now() - start;
  }
  return (ops / elapsed) * 1000;
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`;
}

const pool = [
  ...new Set(corpusFiles(new URL('../src/versioning/', import.meta.url)).flatMap((f) => readCorpus(f))),
];

function benchScheme(id: SchemeId): string {
  const scheme: VersionScheme<unknown> = schemes[id];
  const own = corpusFiles(new URL(`../src/versioning/schemes/${id}/`, import.meta.url)).flatMap((f) =>
    readCorpus(f),
  );
  const source = own.filter((v) => scheme.parse(v).ok).length >= 100 ? own : pool;
  const strings = source.filter((v) => scheme.parse(v).ok).slice(0, 2000);
  const parsed = strings.map((v) => {
    const r = scheme.parse(v);
    return r.ok ? r.value : undefined;
  });
  const n = strings.length;
  const preParsed = rate(n, () => {
    for (let i = 0; i < n; i++) sink += scheme.compare(parsed[i], parsed[(i * 7 + 1) % n]);
  });
  const viaStrings = rate(n, () => {
    for (let i = 0; i < n; i++) sink += compareVersions(id, strings[i]!, strings[(i * 7 + 1) % n]!);
  });
  const parse = rate(n, () => {
    for (let i = 0; i < n; i++) sink += scheme.parse(strings[i]!).ok ? 1 : 0;
  });
  clearParseCaches();
  return `versioning ${id.padEnd(8)} compare pre-parsed ${fmt(preParsed)}/s, strings ${fmt(viaStrings)}/s, parse ${fmt(parse)}/s (${n} versions)`;
}

function affectedWorkload(): Array<{ scheme: SchemeId; version: string; ranges: OsvRange[] }> {
  const debRanges: OsvRange[] = [
    { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.36-9+deb12u4' }] },
    { type: 'ECOSYSTEM', events: [{ introduced: '2.37-1' }, { fixed: '2.37-15.1' }] },
  ];
  const npmRanges: OsvRange[] = [
    { type: 'SEMVER', events: [{ introduced: '7.0.0' }, { fixed: '7.5.2' }] },
    { type: 'SEMVER', events: [{ introduced: '6.0.0' }, { fixed: '6.3.1' }] },
    { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '5.7.2' }] },
  ];
  const goRanges: OsvRange[] = [
    {
      type: 'SEMVER',
      events: [
        { introduced: '0' },
        { fixed: '0.0.0-20250513065225-4ae5d647fb88' },
        { introduced: '9.11.0+incompatible' },
        { fixed: '9.11.16+incompatible' },
        { introduced: '10.5.0+incompatible' },
        { fixed: '10.5.6+incompatible' },
      ],
    },
  ];
  return [
    { scheme: 'deb', version: '2.36-9+deb12u3', ranges: debRanges },
    { scheme: 'semver', version: '7.5.1', ranges: npmRanges },
    { scheme: 'go', version: 'v10.5.5+incompatible', ranges: goRanges },
  ];
}

/** A reference measured in the same run: plain string comparison of corpus versions. */
function baseline(): string {
  const strings = pool.slice(0, 2000);
  const n = strings.length;
  const perSecond = rate(n, () => {
    for (let i = 0; i < n; i++) sink += strings[i]! < strings[(i * 7 + 1) % n]! ? -1 : 1;
  });
  return `versioning reference: JavaScript string < on the same kind of inputs ${fmt(perSecond)}/s`;
}

export default async function bench(): Promise<void> {
  console.log(baseline());
  for (const id of schemeIds) console.log(benchScheme(id));
  for (const { scheme, version, ranges } of affectedWorkload()) {
    const events = ranges.reduce((n, r) => n + r.events.length, 0);
    const perSecond = rate(1000, () => {
      for (let i = 0; i < 1000; i++) isAffected(scheme, ranges, version);
    });
    // The same checks with the parse cache emptied before each one: what the cache saves.
    const cold = rate(1000, () => {
      for (let i = 0; i < 1000; i++) {
        clearParseCaches();
        isAffected(scheme, ranges, version);
      }
    });
    console.log(
      `versioning isAffected ${scheme} (${ranges.length} ranges, ${events} events): ${fmt(perSecond)}/s, ` +
        `without parse cache ${fmt(cold)}/s`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
