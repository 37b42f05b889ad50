import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ImageResult, vulnerabilityFindings } from '../../model/result.js';
import { validateCycloneDx } from '../sbom/test-schemas.js';
import { cycloneDxWithVulnerabilities, writeCycloneDxReport } from './cyclonedx.js';
import {
  bracesDos,
  fixtureDocument,
  glibcExcepted,
  glibcNoScore,
  log4shell,
  missing,
  webApp,
} from './test-fixture.js';
import { assertGoldenText } from './test-schemas.js';

const prop = (props: Array<{ name: string; value: string }> | undefined, name: string) =>
  props?.filter((p) => p.name === name).map((p) => p.value);

describe('CycloneDX report writer', () => {
  it('writes a BOM with vulnerabilities that the official CycloneDX 1.6 schema accepts', () => {
    const text = writeCycloneDxReport({ images: [webApp] }, {});
    const bom: unknown = JSON.parse(text);
    assert.ok(!Array.isArray(bom), 'one image gives one BOM object');
    assert.deepEqual(validateCycloneDx(bom), []);
    assertGoldenText('web-app.cdx.json', text);
  });

  it('is checked by a schema that can fail on the vulnerability part', () => {
    const bom = cycloneDxWithVulnerabilities(webApp);
    const bad = {
      ...bom,
      vulnerabilities: bom.vulnerabilities.map((v) => ({ ...v, ratings: [{ severity: 'severe' }] })),
    };
    assert.notDeepEqual(validateCycloneDx(bad), []);
  });

  it('writes several images as a JSON array of valid BOMs', () => {
    const boms: unknown = JSON.parse(writeCycloneDxReport(fixtureDocument, {}));
    assert.ok(Array.isArray(boms));
    assert.equal(boms.length, 2);
    for (const bom of boms) assert.deepEqual(validateCycloneDx(bom), []);
  });

  it('lets every vulnerability affect a component of the same BOM', () => {
    const bom = cycloneDxWithVulnerabilities(webApp);
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    // Vulnerabilities only: secrets, threats and configuration findings have no place in a BOM.
    assert.equal(bom.vulnerabilities.length, vulnerabilityFindings(webApp.findings).length);
    assert.ok(webApp.findings.length > bom.vulnerabilities.length);
    for (const v of bom.vulnerabilities) {
      for (const a of v.affects) assert.ok(refs.has(a.ref), `${v.id} affects unknown ${a.ref}`);
    }
    assert.equal(new Set(bom.vulnerabilities.map((v) => v['bom-ref'])).size, bom.vulnerabilities.length);
  });

  it('carries scores, the fix, EPSS and KEV of a finding', () => {
    const bom = cycloneDxWithVulnerabilities(webApp);
    const braces = bom.vulnerabilities.find((v) => v.id === bracesDos.id);
    assert.deepEqual(
      braces?.ratings.map((r) => [r.method, r.score, r.severity]),
      [
        ['CVSSv31', 7.5, 'high'],
        ['CVSSv4', 8.7, 'high'],
      ],
    );
    assert.equal(braces?.recommendation, 'Upgrade braces to 3.0.3');
    assert.deepEqual(braces?.affects[0]?.versions, [
      { version: '3.0.2', status: 'affected' },
      { version: '3.0.3', status: 'unaffected' },
    ]);
    const log4j = bom.vulnerabilities.find((v) => v.id === log4shell.id);
    assert.deepEqual(prop(log4j?.properties, 'assay:kev:knownRansomwareCampaignUse'), ['true']);
    assert.deepEqual(prop(log4j?.properties, 'assay:epss:score'), ['0.94358']);
    // No v3 score: only the distro's own rating, as `other`, never an invented number.
    const glibc = bom.vulnerabilities.find((v) => v.id === glibcNoScore.id);
    assert.deepEqual(glibc?.ratings, [
      { source: { name: 'debian-tracker' }, severity: 'info', method: 'other' },
    ]);
  });

  it('records an exception as analysis detail and claims not_affected only for OpenVEX', () => {
    const plain = cycloneDxWithVulnerabilities(webApp).vulnerabilities.find((v) => v.id === glibcExcepted.id);
    assert.deepEqual(plain?.analysis, {
      detail: 'excepted by .assay-ignore.yaml: disputed upstream, "not a vulnerability"',
    });
    const vex: ImageResult = {
      ...webApp,
      findings: [
        { ...glibcExcepted, exception: { reason: 'code not reachable', source: 'openvex:vex.json' } },
      ],
    };
    const fromVex = cycloneDxWithVulnerabilities(vex).vulnerabilities[0];
    assert.equal(fromVex?.analysis?.state, 'not_affected');
    assert.deepEqual(validateCycloneDx(cycloneDxWithVulnerabilities(vex)), []);
  });

  it('says when an image was not scanned, so an empty BOM is not read as an empty image', () => {
    const bom = cycloneDxWithVulnerabilities(missing);
    assert.deepEqual(validateCycloneDx(bom), []);
    assert.deepEqual(bom.components, []);
    assert.deepEqual(prop(bom.metadata.properties, 'assay:scan:status'), ['not_found']);
    assert.deepEqual(prop(bom.metadata.properties, 'assay:scan:result'), ['UNKNOWN']);
    assert.match(
      prop(bom.metadata.properties, 'assay:scan:statusMessage')?.[0] ?? '',
      /not scanned \(not_found\)/,
    );
  });

  it('keeps the real source of an sbom: input and the given write time', () => {
    const fromSbom: ImageResult = { ...webApp, image: { ...webApp.image, source: 'sbom' } };
    const bom = cycloneDxWithVulnerabilities(fromSbom, new Date('2026-02-03T04:05:06.789Z'));
    assert.deepEqual(prop(bom.metadata.component.properties, 'assay:image:source'), ['sbom']);
    assert.equal(bom.metadata.timestamp, '2026-02-03T04:05:06Z');
  });
});
