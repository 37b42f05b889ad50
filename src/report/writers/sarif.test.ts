import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageResult, ScanDocument } from '../../model/result.js';
import { levelOf, sarifLog, writeSarifReport } from './sarif.js';
import { fixtureDocument, glibcExcepted, log4shell, missing, webApp } from './test-fixture.js';
import { assertGoldenText, validateSarif } from './test-schemas.js';

const doc = (...images: ImageResult[]): ScanDocument => ({ schemaVersion: '1.0', images });

describe('SARIF writer', () => {
  it('writes a log the official SARIF 2.1.0 schema accepts, matching its golden', () => {
    const text = writeSarifReport(fixtureDocument);
    assert.deepEqual(validateSarif(JSON.parse(text)), []);
    assertGoldenText('fixture.sarif.json', text);
  });

  it('is checked by a schema that can fail: an unknown level or a misspelt member is rejected', () => {
    const log = sarifLog(fixtureDocument);
    const bad = structuredClone(log);
    const first = bad.runs[0]?.results[0];
    assert.ok(first);
    Object.assign(first, { level: 'critical' });
    assert.notDeepEqual(validateSarif(bad), []);
    const misspelt = structuredClone(log);
    Object.assign(misspelt.runs[0]?.results[0] ?? {}, { ruleID: 'x' });
    assert.notDeepEqual(validateSarif(misspelt), []);
  });

  it('is valid for an empty document and for a document of unscanned images only', () => {
    assert.deepEqual(validateSarif(sarifLog(doc())), []);
    const log = sarifLog(doc(missing));
    assert.deepEqual(validateSarif(log), []);
    assert.deepEqual(log.runs[0]?.results, []);
  });

  it('names one rule per vulnerability id, with GitHub security-severity from the CVSS v3 score', () => {
    const rules = sarifLog(fixtureDocument).runs[0]?.tool.driver.rules ?? [];
    const ids = rules.map((r) => r.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    assert.equal(ids.length, webApp.findings.length);
    const log4j = rules.find((r) => r.id === log4shell.id);
    assert.equal(log4j?.properties['security-severity'], '10.0');
    assert.deepEqual(log4j?.properties.tags, ['security', 'vulnerability', 'critical']);
    assert.equal(log4j?.helpUri, 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228');
    // N/A: no score, so no security-severity (GitHub would read "0" as a score).
    assert.equal(rules.find((r) => r.id === 'CVE-2010-4756')?.properties['security-severity'], undefined);
  });

  it('maps severities to levels: critical/high error, medium warning, the rest note', () => {
    assert.deepEqual((['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const).map(levelOf), [
      'error',
      'error',
      'warning',
      'note',
      'note',
      'note',
    ]);
  });

  it('points each result at its rule, the package database in the image, and the image', () => {
    const run = sarifLog(fixtureDocument).runs[0]!;
    for (const result of run.results) {
      assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, result.ruleId);
    }
    const log4j = run.results.find((r) => r.ruleId === log4shell.id)!;
    assert.equal(log4j.locations[0]?.physicalLocation.artifactLocation.uri, 'app/lib/log4j-core-2.14.1.jar');
    assert.match(
      log4j.message.text,
      /log4j-core 2\.14\.1 .*CVE-2021-44228.*fixed in 2\.15\.0.*example\/web-app/,
    );
    assert.equal(log4j.properties.layerIndex, 2);
  });

  it('marks excepted findings as externally suppressed with the reason, not drops them', () => {
    const results = sarifLog(fixtureDocument).runs[0]?.results ?? [];
    const excepted = results.filter((r) => r.suppressions);
    assert.equal(excepted.length, 1);
    assert.equal(excepted[0]?.ruleId, glibcExcepted.id);
    assert.deepEqual(excepted[0]?.suppressions, [
      { kind: 'external', justification: glibcExcepted.exception?.reason },
    ]);
  });

  it('keeps fingerprints across rebuilds of the image and tells packages apart', () => {
    const rebuilt: ImageResult = {
      ...webApp,
      image: { ...webApp.image, manifestDigest: `sha256:${'d'.repeat(64)}` },
    };
    const a = sarifLog(doc(webApp)).runs[0]?.results ?? [];
    const b = sarifLog(doc(rebuilt)).runs[0]?.results ?? [];
    assert.deepEqual(
      a.map((r) => r.partialFingerprints),
      b.map((r) => r.partialFingerprints),
    );
    assert.equal(new Set(a.map((r) => r.partialFingerprints['assayFinding/v1'])).size, a.length);
  });

  it('reports unscanned images as failed tool executions, so a short log is not read as clean', () => {
    const invocation = sarifLog(fixtureDocument).runs[0]?.invocations[0];
    assert.equal(invocation?.executionSuccessful, false);
    const texts = invocation?.toolExecutionNotifications?.map((n) => `${n.level} ${n.message.text}`) ?? [];
    assert.ok(
      texts.some((t) => t.startsWith('error') && t.includes('not scanned (not_found)')),
      texts.join('\n'),
    );
    assert.ok(
      texts.some((t) => t.startsWith('note') && t.includes('1 issues')),
      texts.join('\n'),
    );
  });

  it('percent-encodes paths that are not valid URI references as they stand', () => {
    const odd = {
      ...log4shell,
      package: { ...log4shell.package, path: '/opt/my app/lib/ünï#1.jar' },
    };
    const log = sarifLog(doc({ ...webApp, findings: [odd] }));
    assert.equal(
      log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri,
      'opt/my%20app/lib/%C3%BCn%C3%AF%231.jar',
    );
    assert.deepEqual(validateSarif(log), []);
  });
});
