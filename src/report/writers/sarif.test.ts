import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ImageResult, type ScanDocument, vulnerabilityFindings } from '../../model/result.js';
import { levelOf, sarifLog, writeSarifReport } from './sarif.js';
import { fixtureDocument, glibcExcepted, log4shell, missing, webApp } from './test-fixture.js';
import {
  awsKey,
  devKeyExcepted,
  eicarInJar,
  npmTokenRemoved,
  rootUser,
  tlsOffInHistory,
} from './test-fixture-content.js';
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
    const vulnIds = vulnerabilityFindings(webApp.findings).map((f) => f.id);
    assert.deepEqual(
      ids.filter((id) => !id.includes('/')),
      [...vulnIds].sort(),
    );
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
    assert.deepEqual(
      excepted.map((r) => [r.ruleId, r.suppressions]),
      [
        [glibcExcepted.id, [{ kind: 'external', justification: glibcExcepted.exception?.reason }]],
        ['secret/private-key', [{ kind: 'external', justification: devKeyExcepted.exception?.reason }]],
      ],
    );
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

  describe('content findings', () => {
    const run = () => sarifLog(doc(webApp)).runs[0]!;
    const resultFor = (ruleId: string, path?: string) =>
      run().results.find(
        (r) =>
          r.ruleId === ruleId &&
          (path === undefined || r.locations[0]?.physicalLocation.artifactLocation.uri === path),
      );

    it('names one rule per kind and id, with a level and a security-severity from the severity band', () => {
      const rules = run().tool.driver.rules.filter((r) => r.id.includes('/'));
      assert.deepEqual(
        rules.map((r) => [r.id, r.defaultConfiguration.level, r.properties['security-severity']]),
        [
          ['config/root-user', 'note', '2.0'],
          ['config/tls-verification-disabled', 'warning', '5.5'],
          ['secret/aws-access-key-id', 'error', '8.0'],
          ['secret/npm-access-token', 'error', '9.5'],
          ['secret/private-key', 'error', '8.0'],
          ['threat/eicar', 'error', '8.0'],
        ],
      );
      const root = rules.find((r) => r.id === 'config/root-user');
      assert.deepEqual(root?.properties.tags, ['security', 'config', rootUser.category, 'low']);
      assert.match(root?.fullDescription.text ?? '', /CIS Docker Benchmark 4\.1/);
    });

    it('places a file finding at its line and column, with its layer and removal', () => {
      const npm = resultFor(`secret/${npmTokenRemoved.id}`);
      assert.deepEqual(npm?.locations[0]?.physicalLocation, {
        artifactLocation: { uri: 'root/.npmrc' },
        region: { startLine: 1, startColumn: 26 },
      });
      assert.equal(npm?.level, 'error');
      assert.equal(npm?.properties.layerIndex, 1);
      assert.equal(npm?.properties.layerDiffId, npmTokenRemoved.location.layerDiffId);
      assert.equal(npm?.properties.createdBy, 'RUN npm install -g braces@3.0.2');
      assert.equal(npm?.properties.removedInLayer, 2);
      assert.match(npm?.message.text ?? '', /npm_\*\*\*.*root\/\.npmrc:1, layer 1; removed in layer 2/);
    });

    it('places a threat in an archive member on the archive, with member, engine and SHA-256', () => {
      const eicar = resultFor('threat/eicar');
      assert.deepEqual(eicar?.locations[0]?.physicalLocation, {
        artifactLocation: { uri: 'app/lib/av-samples.jar' },
        region: { startLine: 1 },
      });
      assert.equal(eicar?.properties.member, 'samples/eicar.com');
      assert.equal(eicar?.properties.engine, 'builtin');
      assert.equal(eicar?.properties.sha256, eicarInJar.sha256);
      assert.match(eicar?.message.text ?? '', /av-samples\.jar!\/samples\/eicar\.com/);
    });

    it('places image-config findings on the image, named by a logical location', () => {
      const tls = resultFor(`config/${tlsOffInHistory.id}`);
      const reference = `docker.io/example/web-app:1.4.2@sha256:${'b'.repeat(64)}`;
      assert.equal(tls?.level, 'warning');
      assert.equal(
        tls?.locations[0]?.physicalLocation.artifactLocation.uri,
        encodeURIComponent(reference).replaceAll('%2F', '/'),
      );
      assert.deepEqual(tls?.locations[0]?.logicalLocations, [
        { name: 'history #4', kind: 'image-config', fullyQualifiedName: `${reference}#history=4` },
      ]);
      assert.equal(tls?.properties.historyIndex, 4);
      assert.equal(resultFor(`config/${rootUser.id}`)?.level, 'note');
    });

    it('carries a secret only as its redacted match', () => {
      const aws = resultFor(`secret/${awsKey.id}`);
      assert.equal(aws?.properties.match, 'AKIA***');
      const strings: Array<[string, string]> = [];
      const walk = (value: unknown, path: string): void => {
        if (typeof value === 'string') strings.push([path, value]);
        else if (Array.isArray(value)) {
          for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`);
        } else if (value && typeof value === 'object')
          for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
      };
      walk(aws, 'result');
      const carriers = strings.filter(([, v]) => v.includes('AKIA')).map(([p]) => p);
      assert.deepEqual(carriers, ['result.message.text', 'result.properties.match']);
    });

    it('keeps content fingerprints across rebuilds and apart for two places of one rule', () => {
      const rebuilt: ImageResult = {
        ...webApp,
        image: { ...webApp.image, manifestDigest: `sha256:${'d'.repeat(64)}` },
      };
      const fingerprints = (image: ImageResult) =>
        (sarifLog(doc(image)).runs[0]?.results ?? [])
          .filter((r) => r.ruleId.includes('/'))
          .map((r) => r.partialFingerprints['assayFinding/v1']);
      assert.deepEqual(fingerprints(webApp), fingerprints(rebuilt));
      const twice = { ...awsKey, location: { ...awsKey.location, line: 40 } };
      const both = fingerprints({ ...webApp, findings: [awsKey, twice] });
      assert.equal(new Set(both).size, 2);
    });

    it('is valid SARIF for findings in env, labels, history and the config, and for a removed file', () => {
      const places = [
        { ...awsKey, location: { source: 'env' as const, path: 'AWS_ACCESS_KEY_ID' } },
        { ...awsKey, location: { source: 'label' as const, path: 'org.example.key' } },
        tlsOffInHistory,
        rootUser,
        npmTokenRemoved,
      ];
      const log = sarifLog(doc({ ...webApp, findings: places }));
      assert.deepEqual(validateSarif(log), []);
      const reference = `docker.io/example/web-app:1.4.2@sha256:${'b'.repeat(64)}`;
      assert.deepEqual(
        log.runs[0]?.results.map((r) => r.locations[0]?.logicalLocations[0]?.name),
        [reference, 'env:AWS_ACCESS_KEY_ID', 'label:org.example.key', 'history #4', 'image config'],
      );
    });
  });
});
