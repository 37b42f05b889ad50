import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAssayError } from '../model/errors.js';
import type { ScanStatus, VulnerabilityFinding } from '../model/result.js';
import { severityOf } from '../vulndb/cvss.js';
import { applyFilters } from './filters.js';
import { gradeImage, parseThresholds } from './grade.js';

function finding(
  id: string,
  score: number | null,
  extra: Partial<VulnerabilityFinding> = {},
): VulnerabilityFinding {
  return {
    kind: 'vulnerability',
    id,
    aliases: [],
    package: {
      id: 'p',
      type: 'npm',
      name: 'p',
      version: '1',
      purl: 'pkg:npm/p@1',
      layerIndex: 0,
      layerDiffId: 'sha256:x',
    },
    installedVersion: '1',
    status: 'fixed',
    fixedVersion: '2',
    severity: score === null ? 'unknown' : severityOf(score),
    ...(score === null ? {} : { cvss: { version: '3.1', vector: 'CVSS:3.1/…', score, source: 'nvd' } }),
    dataSource: { feed: 'osv', id },
    references: [],
    fromBaseImage: false,
    ...extra,
  };
}

const T = { warn: 4, fail: 7 };

test('grading: ≥ fail → FAIL, ≥ warn → WARN, else PASS, exactly at the thresholds', () => {
  const table: Array<[number | null, { warn: number; fail: number }, string]> = [
    [7.0, T, 'FAIL'],
    [6.9, T, 'WARN'],
    [4.0, T, 'WARN'],
    [3.9, T, 'PASS'],
    [null, T, 'PASS'],
    [10, { warn: 0, fail: 10 }, 'FAIL'],
    [0, { warn: 0, fail: 10 }, 'WARN'],
    [9.8, { warn: 9.9, fail: 10 }, 'PASS'],
    [5, { warn: 5, fail: 5 }, 'FAIL'],
  ];
  for (const [score, thresholds, expected] of table) {
    const g = gradeImage([finding('CVE-1', score), finding('CVE-2', null)], thresholds, 'scanned');
    assert.equal(g.result, expected, `${score} at ${JSON.stringify(thresholds)}`);
    assert.equal(g.maxCvssV3, score);
  }
});

test('grading: UNKNOWN whenever the image was not fully scanned', () => {
  const statuses: ScanStatus[] = ['partial', 'unsupported_os', 'not_found', 'internal_error'];
  for (const status of statuses)
    assert.equal(gradeImage([finding('CVE-1', 9.8)], T, status).result, 'UNKNOWN', status);
  assert.equal(gradeImage([], T, 'partial').maxCvssV3, null);
});

test('excepted findings are listed but do not count toward the grade or the summary', () => {
  const exception = { reason: 'accepted', source: 'x' };
  const findings = [
    finding('CVE-1', 9.8, { exception }),
    finding('CVE-2', 5.0, { epss: { score: 0.2, percentile: 0.9 } }),
    finding('CVE-3', null, {
      status: 'affected',
      fixedVersion: undefined,
      kev: { dateAdded: '2024-01-01', knownRansomwareCampaignUse: false },
    }),
    finding('CVE-4', 8.0, { exception, epss: { score: 0.9, percentile: 1 } }),
  ];
  const g = gradeImage(findings, T, 'scanned', 3);
  assert.equal(g.result, 'WARN');
  assert.equal(g.maxCvssV3, 5.0);
  assert.deepEqual(g.summary, {
    bySeverity: { critical: 0, high: 0, medium: 1, low: 0, none: 0, unknown: 1 },
    findings: 2,
    excepted: 2,
    filtered: 3,
    fixable: 1,
    kev: 1,
    maxEpss: 0.2,
  });
});

test('filters: severity bands and --ignore-unfixed, counted', () => {
  const findings = [
    finding('CVE-1', 9.8),
    finding('CVE-2', 5.0, { status: 'affected', fixedVersion: undefined }),
    finding('CVE-3', null),
    finding('CVE-4', 2.0),
  ];
  const ids = (r: { kept: VulnerabilityFinding[]; filtered: number }) => [
    r.kept.map((f) => f.id),
    r.filtered,
  ];
  assert.deepEqual(ids(applyFilters(findings, {})), [['CVE-1', 'CVE-2', 'CVE-3', 'CVE-4'], 0]);
  assert.deepEqual(ids(applyFilters(findings, { severity: ['critical', 'unknown'] })), [
    ['CVE-1', 'CVE-3'],
    2,
  ]);
  assert.deepEqual(ids(applyFilters(findings, { ignoreUnfixed: true })), [['CVE-1', 'CVE-3', 'CVE-4'], 1]);
  assert.deepEqual(ids(applyFilters(findings, { severity: ['medium'], ignoreUnfixed: true })), [[], 4]);
});

test('thresholds: defaults, numeric strings, and usage errors that say how to fix them', () => {
  assert.deepEqual(parseThresholds(undefined, undefined), { warn: 4, fail: 7 });
  assert.deepEqual(parseThresholds('5.5', 9), { warn: 5.5, fail: 9 });
  assert.deepEqual(parseThresholds(0, '10.0'), { warn: 0, fail: 10 });
  const bad: Array<[unknown, unknown, RegExp]> = [
    ['abc', 7, /--warn_threshold must be a number from 0\.0 to 10\.0, got "abc"/],
    [4, '', /--fail_threshold must be a number/],
    [4, Number.NaN, /--fail_threshold must be a number/],
    [-1, 7, /between 0\.0 and 10\.0.*got -1/],
    [4, 10.1, /--fail_threshold must be between/],
    [8, 7, /--warn_threshold \(8\) must not exceed --fail_threshold \(7\): lower the warn threshold/],
    [true, 7, /--warn_threshold must be a number/],
  ];
  for (const [warn, fail, message] of bad)
    assert.throws(
      () => parseThresholds(warn, fail),
      (err) => isAssayError(err, 'usage') && message.test(err.message),
      `${warn}/${fail}`,
    );
});
