import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateSpdx } from '../sbom/test-schemas.js';
import { spdxOf, writeSpdxReport } from './spdx.js';
import { fixtureDocument, missing, webApp } from './test-fixture.js';

describe('SPDX report writer', () => {
  it('writes the packages of a scanned image as SPDX 2.3 that the official schema accepts', () => {
    const doc = spdxOf(webApp);
    assert.deepEqual(validateSpdx(doc), []);
    const names = doc.packages.map((p) => p.name);
    for (const pkg of webApp.packages) assert.ok(names.includes(pkg.name), pkg.name);
    // Only the located issue: a scanned image gets no status annotation.
    assert.equal(doc.annotations?.length, webApp.issues.length);
  });

  it('annotates an image that was not scanned', () => {
    const doc = spdxOf(missing);
    assert.deepEqual(validateSpdx(doc), []);
    assert.equal(doc.annotations?.length, 1);
    assert.match(doc.annotations?.[0]?.comment ?? '', /^scan status not_found: not scanned/);
  });

  it('writes one object for one image and an array for several', () => {
    assert.ok(!Array.isArray(JSON.parse(writeSpdxReport({ images: [webApp] }, {}))));
    const docs: unknown = JSON.parse(writeSpdxReport(fixtureDocument, {}));
    assert.ok(Array.isArray(docs) && docs.length === 2);
    for (const doc of docs) assert.deepEqual(validateSpdx(doc), []);
  });
});
