/**
 * Test support: ajv validators over the official schemas in testdata/schemas (see README.md
 * for their provenance), and a golden-file check with an explicit `UPDATE_GOLDEN=1` switch
 * (STYLE.md principle 14). Only tests import this file.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const TESTDATA = new URL('./testdata/', import.meta.url);

function readJson(relative: string): object {
  const value: unknown = JSON.parse(readFileSync(new URL(relative, TESTDATA), 'utf8'));
  assert.ok(typeof value === 'object' && value !== null, `${relative} is not a JSON object`);
  return value;
}

function compile(main: string, referenced: string[]): ValidateFunction {
  // Both schemas are draft-07, ajv's default. `strict: false` because the official schemas use
  // annotations ajv does not know (CycloneDX `meta:enum`, `deprecated`), which are not errors.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // ajv-formats has no IRI or IDN formats; these stand-ins only reject what no IRI (RFC 3987)
  // or internationalised address (RFC 6531) can hold. Assay writes neither kind of field.
  ajv.addFormat('iri-reference', (value: string) => !/[\s<>"{}|\\^`]/u.test(value) && !hasControl(value));
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  // Registered under their own `$id`s, which is how bom-1.6 refers to them.
  for (const file of referenced) ajv.addSchema(readJson(`schemas/${file}`));
  return ajv.compile(readJson(`schemas/${main}`));
}

function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 0x20) return true;
  return false;
}

let cdx: ValidateFunction | undefined;
let spdx: ValidateFunction | undefined;

export function validateCycloneDx(doc: unknown): ErrorObject[] {
  cdx ??= compile('bom-1.6.schema.json', ['spdx.schema.json', 'jsf-0.82.schema.json']);
  return cdx(doc) ? [] : (cdx.errors ?? []);
}

export function validateSpdx(doc: unknown): ErrorObject[] {
  spdx ??= compile('spdx-schema-2.3.json', []);
  return spdx(doc) ? [] : (spdx.errors ?? []);
}

/** The SPDX licence and exception ids the CycloneDX schema accepts as `license.id`. */
export function cycloneDxSpdxIds(): ReadonlySet<string> {
  const schema = readJson('schemas/spdx.schema.json');
  const values = 'enum' in schema && Array.isArray(schema.enum) ? schema.enum : [];
  return new Set(values.filter((v): v is string => typeof v === 'string'));
}

/** Compares `value` as pretty JSON with testdata/<name>; `UPDATE_GOLDEN=1` rewrites the file instead. */
export function assertGolden(name: string, value: unknown): void {
  const url = new URL(name, TESTDATA);
  const actual = `${JSON.stringify(value, null, 2)}\n`;
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
