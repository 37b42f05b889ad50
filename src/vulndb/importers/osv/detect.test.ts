import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { osvImporter } from './index.js';

const { detect } = osvImporter;

describe('OSV detect', () => {
  it('claims OSV records, directories and archives of OSV ids', () => {
    assert.equal(detect('{\n  "schema_version": "1.4.0",\n  "id": "GHSA-c2qf-rxjj-qqgw",', 'a.json'), true);
    assert.equal(
      detect('{"id": "ALSA-2022:6580", "summary": "x", "affected": [', 'ALSA-2022:6580.json'),
      true,
    );
    assert.equal(detect('', '/srv/osv/'), true);
    assert.equal(detect('GO-2020-0001.json\nGO-2020-0003.json', 'Go/all.zip'), true);
    assert.equal(detect('advisories/\nadvisories/RLSA-2023:3722.json', 'rocky.zip'), true);
  });

  it('leaves the other feeds alone', () => {
    const nvd =
      '{"resultsPerPage":38,"startIndex":0,"totalResults":38,"format":"NVD_CVE","version":"2.0","vulnerabilities":[{"cve":{"id":"CVE-2023-1"';
    const cve5 =
      '{"dataType": "CVE_RECORD", "dataVersion": "5.1", "cveMetadata": {"cveId": "CVE-2024-1"}, "containers": {"cna": {"affected": [';
    const kev =
      '{"title": "CISA Catalog", "catalogVersion": "2025.08.25", "vulnerabilities": [{"cveID": "CVE-2021-1"';
    const secdb =
      '{"apkurl": "{{urlprefix}}", "archs": ["x86_64"], "distroversion": "v3.11", "packages": [{"pkg": {"name": "a", "secfixes": {';
    const debian = '{"apparmor": {"CVE-2016-1585": {"description": "x", "scope": "local", "releases": {';
    for (const head of [nvd, cve5, kev, secdb, debian]) assert.equal(detect(head, 'feed.json'), false, head);
    assert.equal(detect('CVE-2014-1424.json\nCVE-2024-3094.json', 'nvd-api2-cve-samples.zip'), false);
    assert.equal(detect('GO-2020-0001.json\nREADME.md', 'mixed.zip'), false);
    assert.equal(detect('', 'empty.zip'), false);
    assert.equal(detect('cve,epss,percentile\n', 'epss.csv'), false);
  });
});
