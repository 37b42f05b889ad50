import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAssayError } from '../model/errors.js';
import { ScanDocumentSchema } from '../model/result.js';
import { parseCsvMode, parseReportFormat, reportFormats, writeReport } from './writer.js';
import { fixtureDocument } from './writers/test-fixture.js';

const opts = { color: false, csvMode: 'image' as const, width: 120 };

describe('report formats', () => {
  it('parses every format id, the cyclonedx alias, and any case', () => {
    for (const id of reportFormats) assert.equal(parseReportFormat(id), id);
    assert.equal(parseReportFormat('cyclonedx'), 'cyclonedx-json');
    assert.equal(parseReportFormat(' SARIF '), 'sarif');
  });

  it('rejects an unknown format as a usage error that lists the valid ids', () => {
    assert.throws(
      () => parseReportFormat('xml'),
      (err) => isAssayError(err, 'usage') && reportFormats.every((id) => err.message.includes(id)),
    );
    assert.throws(
      () => parseCsvMode('rows'),
      (err) => isAssayError(err, 'usage'),
    );
    assert.equal(parseCsvMode('image_cve'), 'image_cve');
  });

  it('writes every format, each ending with a newline and deterministic', () => {
    for (const format of reportFormats) {
      const text = writeReport(format, fixtureDocument, opts);
      assert.ok(text.endsWith('\n'), format);
      assert.equal(writeReport(format, fixtureDocument, opts), text, `${format} is not deterministic`);
    }
  });

  it('writes the result document itself as json, which reads back through the model', () => {
    const text = writeReport('json', fixtureDocument, opts);
    assert.equal(text, `${JSON.stringify(fixtureDocument, null, 2)}\n`);
    assert.deepEqual(ScanDocumentSchema.parse(JSON.parse(text)), fixtureDocument);
  });

  it('takes the csv shape from csvMode', () => {
    const image = writeReport('csv', fixtureDocument, opts);
    const perCve = writeReport('csv', fixtureDocument, { ...opts, csvMode: 'image_cve' });
    assert.ok(image.startsWith('input,registry,repository,tags,digest,result,status,max_cvss_v3,critical'));
    assert.ok(perCve.split('\r\n').length > image.split('\r\n').length);
  });
});
