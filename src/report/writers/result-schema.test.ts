import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { scanResultSchemaFile, scanResultSchemaText } from '../../../scripts/gen-schemas.js';
import { ScanDocumentSchema } from '../../model/result.js';
import { fixtureDocument, webApp } from './test-fixture.js';
import { validateScanResult } from './test-schemas.js';

const DOC = new URL('../../../docs/scan-result.md', import.meta.url);

/** The one ```json block of docs/scan-result.md: the documented example must stay valid. */
function documentedExample(): unknown {
  const md = readFileSync(DOC, 'utf8');
  const blocks = [...md.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
  assert.equal(blocks.length, 1, 'docs/scan-result.md should hold exactly one json example');
  return JSON.parse(blocks[0] ?? '');
}

const clone = (): Record<string, unknown> => JSON.parse(JSON.stringify(fixtureDocument));

describe('docs/scan-result.schema.json', () => {
  it('is what `npm run schemas` generates from the model now', () => {
    assert.equal(
      readFileSync(scanResultSchemaFile, 'utf8'),
      scanResultSchemaText(),
      'stale: run `npm run schemas` and commit docs/scan-result.schema.json',
    );
  });

  it('accepts a realistic document of a scanned and a missing image', () => {
    assert.deepEqual(validateScanResult(fixtureDocument), []);
    assert.deepEqual(ScanDocumentSchema.parse(fixtureDocument), fixtureDocument);
  });

  it('rejects a wrong result value, a missing status and an unknown severity', () => {
    const wrongResult = clone();
    Object.assign((wrongResult.images as Array<Record<string, unknown>>)[0] ?? {}, { result: 'OK' });
    assert.notDeepEqual(validateScanResult(wrongResult), []);

    const noStatus = clone();
    delete (noStatus.images as Array<Record<string, unknown>>)[1]?.status;
    const errors = validateScanResult(noStatus);
    assert.ok(
      errors.some((e) => e.keyword === 'required' && e.params.missingProperty === 'status'),
      JSON.stringify(errors),
    );

    const badSeverity = clone();
    const image = (badSeverity.images as Array<{ findings: Array<Record<string, unknown>> }>)[0];
    Object.assign(image?.findings[0] ?? {}, { severity: 'severe' });
    assert.notDeepEqual(validateScanResult(badSeverity), []);
  });

  it('lets a 1.0 reader accept members added by a later minor version', () => {
    const newer = { ...fixtureDocument, images: [{ ...webApp, futureField: { added: 'in 1.1' } }] };
    assert.deepEqual(validateScanResult(newer), []);
  });

  it('accepts the example in docs/scan-result.md, which the model also parses', () => {
    const example = documentedExample();
    assert.deepEqual(validateScanResult(example), []);
    ScanDocumentSchema.parse(example);
  });
});
