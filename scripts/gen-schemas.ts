/**
 * Writes docs/scan-result.schema.json from the zod schema of the result document
 * (src/model/result.ts), the single source (ARCHITECTURE "Dependencies": JSON Schema is
 * generated from zod). Run `npm run schemas` after changing the model; a test fails while the
 * committed file differs from a fresh generation.
 *
 * Draft-07, because that is what ajv (and most validators) take by default. Generated for the
 * *input* side, so objects accept members they do not know: a reader holding the schema of
 * version 1.0 still accepts a 1.1 document, whose minor bump only adds optional fields
 * (docs/scan-result.md, "Versioning").
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { SCAN_SCHEMA_VERSION, ScanDocumentSchema } from '../src/model/result.js';

export const scanResultSchemaFile = new URL('../docs/scan-result.schema.json', import.meta.url);

export function scanResultJsonSchema(): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(ScanDocumentSchema, { target: 'draft-7', io: 'input' });
  return {
    $schema,
    title: 'Assay scan result document',
    description: `The output of \`assay scan --format json\`, schemaVersion ${SCAN_SCHEMA_VERSION}. Generated from src/model/result.ts by \`npm run schemas\`; fields are described in docs/scan-result.md.`,
    ...body,
  };
}

export function scanResultSchemaText(): string {
  return `${JSON.stringify(scanResultJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(scanResultSchemaFile, scanResultSchemaText());
  process.stdout.write(`wrote ${scanResultSchemaFile.pathname}\n`);
}
