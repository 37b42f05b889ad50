import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanText } from '../../content/secrets/scan.js';
import { githubToken } from '../../content/secrets/testing/tokens.js';
import type { ImageResult, SecretFinding } from '../../model/result.js';
import { reportFormats, writeReport } from '../writer.js';
import { webApp } from './test-fixture.js';

/**
 * End to end from the secret engine to every report: a token made up at run time is found in a
 * file's bytes, becomes a finding the way the scan builds one (its redacted match, never the
 * value), and no report carries the token; those that list secrets show the redacted form.
 */
describe('secrets in reports', () => {
  const token = githubToken();
  const hit = scanText(Buffer.from(`# deploy\nGITHUB_TOKEN=${token}\n`), { path: 'app/.env' }).matches[0];

  it('the engine finds the made-up token and redacts it', () => {
    assert.ok(hit, 'no match for a generated GitHub token');
    assert.ok(!hit.redacted.includes(token));
  });

  const finding: SecretFinding | undefined = hit && {
    kind: 'secret',
    id: hit.ruleId,
    title: 'GitHub token',
    category: hit.category,
    severity: hit.severity,
    location: { source: 'file', path: 'app/.env', line: hit.line, column: hit.column, layerIndex: 2 },
    fromBaseImage: false,
    match: hit.redacted,
  };

  it('no format writes the token; table, json, sarif and csv show the redacted match', () => {
    assert.ok(finding);
    const image: ImageResult = { ...webApp, findings: [...webApp.findings, finding] };
    const doc = { schemaVersion: '1.1', images: [image] };
    for (const format of reportFormats) {
      for (const csvMode of ['image', 'image_cve'] as const) {
        const text = writeReport(format, doc, { color: false, csvMode, width: 120 });
        // Any run of the token's characters longer than the redacted prefix would be a leak.
        assert.ok(!text.includes(token.slice(0, 8)), `${format}/${csvMode} carries the token`);
        const lists =
          format !== 'cyclonedx-json' && format !== 'spdx-json' && !(format === 'csv' && csvMode === 'image');
        assert.equal(text.includes(finding.match), lists, `${format}/${csvMode}: redacted match`);
      }
    }
  });
});
