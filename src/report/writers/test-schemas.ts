/**
 * Test support: ajv validators for the SARIF 2.1.0 schema (testdata/schemas, see SOURCES.md)
 * and the generated docs/scan-result.schema.json, and a text golden check with an explicit
 * `UPDATE_GOLDEN=1` switch (STYLE.md principle 14). Only tests import this file.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const TESTDATA = new URL('./testdata/', import.meta.url);
const RESULT_SCHEMA = new URL('../../../docs/scan-result.schema.json', import.meta.url);

function readJson(url: URL): object {
  const value: unknown = JSON.parse(readFileSync(url, 'utf8'));
  assert.ok(typeof value === 'object' && value !== null, `${url.pathname} is not a JSON object`);
  return value;
}

function compile(schema: object): ValidateFunction {
  // Draft-07 is ajv's default. `strict: false`: the SARIF schema's `"default": []` on a string
  // item and similar annotations are not errors under the JSON Schema rules.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

let sarif: ValidateFunction | undefined;
let result: ValidateFunction | undefined;

export function validateSarif(doc: unknown): ErrorObject[] {
  sarif ??= compile(readJson(new URL('schemas/sarif-schema-2.1.0.json', TESTDATA)));
  return sarif(doc) ? [] : (sarif.errors ?? []);
}

/** Against the committed docs/scan-result.schema.json, i.e. what readers of the document get. */
export function validateScanResult(doc: unknown): ErrorObject[] {
  result ??= compile(readJson(RESULT_SCHEMA));
  return result(doc) ? [] : (result.errors ?? []);
}

/** Compares `actual` with testdata/golden/<name>; `UPDATE_GOLDEN=1` rewrites the file instead. */
export function assertGoldenText(name: string, actual: string): void {
  const url = new URL(`golden/${name}`, TESTDATA);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(url, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(url, 'utf8');
  } catch (cause) {
    throw new Error(`golden ${name} is missing: run with UPDATE_GOLDEN=1 to create it`, { cause });
  }
  assert.equal(actual, expected, `${name} differs from its golden (UPDATE_GOLDEN=1 rewrites it)`);
}
