import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAMESPACE_BASE, writeSpdx } from './spdx.js';
import { fixtureInput } from './test-fixture.js';
import { assertGolden, validateSpdx } from './test-schemas.js';

const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;

function declared(doc: ReturnType<typeof writeSpdx>, name: string): string | undefined {
  return doc.packages.find((p) => p.name === name)?.licenseDeclared;
}

describe('writeSpdx', () => {
  it('writes a realistic image that the official SPDX 2.3 schema accepts', () => {
    const doc = writeSpdx(fixtureInput());
    assert.deepEqual(validateSpdx(doc), []);
    assertGolden('web-app.spdx.json', doc);
  });

  it('is valid with no packages, no OS and no issues', () => {
    const doc = writeSpdx(fixtureInput({ packages: [], os: undefined, issues: [] }));
    assert.deepEqual(validateSpdx(doc), []);
    assert.equal(doc.packages.length, 1);
    assert.equal(doc.annotations, undefined);
    assert.equal(doc.hasExtractedLicensingInfos, undefined);
    assertGolden('empty.spdx.json', doc);
  });

  it('gives every element a valid, unique SPDXID, also for duplicated and Unicode-only names', () => {
    const [first] = fixtureInput().packages;
    const packages = [...fixtureInput().packages, first!, first!, { ...first!, name: '日本語', id: 'x' }];
    const doc = writeSpdx(fixtureInput({ packages }));
    assert.deepEqual(validateSpdx(doc), []);
    const ids = doc.packages.map((p) => p.SPDXID);
    assert.deepEqual(
      ids.filter((id) => !SPDX_ID.test(id)),
      [],
    );
    assert.equal(new Set(ids).size, ids.length);
  });

  it('relates DOCUMENT DESCRIBES image, and image CONTAINS the OS and every package', () => {
    const doc = writeSpdx(fixtureInput());
    const [image, ...rest] = doc.packages;
    assert.equal(image?.primaryPackagePurpose, 'CONTAINER');
    assert.equal(rest[0]?.primaryPackagePurpose, 'OPERATING_SYSTEM');
    assert.deepEqual(doc.relationships[0], {
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: image!.SPDXID,
    });
    assert.deepEqual(
      doc.relationships.slice(1).map((r) => [r.spdxElementId, r.relationshipType, r.relatedSpdxElement]),
      rest.map((p) => [image!.SPDXID, 'CONTAINS', p.SPDXID]),
    );
  });

  it('declares SPDX expressions as they are and free names as LicenseRefs', () => {
    const doc = writeSpdx(fixtureInput());
    assert.equal(declared(doc, 'bash'), 'GPL-3.0+ AND GPL-2.0+');
    assert.equal(declared(doc, 'orjson'), 'Apache-2.0 OR MIT');
    assert.equal(declared(doc, 'perl-base'), '(GPL-1.0+ OR Artistic-1.0) AND Artistic-2.0');
    assert.equal(declared(doc, 'libc6'), 'NOASSERTION');
    const refs = doc.hasExtractedLicensingInfos ?? [];
    assert.ok(refs.length >= 4);
    for (const ref of refs) {
      assert.match(ref.licenseId, LICENSE_REF);
      assert.equal(ref.extractedText, ref.name);
    }
    assert.equal(declared(doc, 'zlib'), refs.find((r) => r.name === 'zlib and Boost')?.licenseId);
    assert.equal(new Set(refs.map((r) => r.licenseId)).size, refs.length);
  });

  it('carries purls, source packages and provenance', () => {
    const input = fixtureInput();
    const doc = writeSpdx(input);
    for (const pkg of input.packages) {
      const spdx = doc.packages.find((p) => p.externalRefs?.[0]?.referenceLocator === pkg.purl);
      assert.ok(spdx, pkg.name);
      assert.equal(spdx.versionInfo, pkg.version);
      assert.ok(spdx.comment?.includes(pkg.introducedIn.layerDiffId));
    }
    assert.equal(
      doc.packages.find((p) => p.name === 'libssl3')?.sourceInfo,
      'built package from: openssl 3.0.11-1~deb12u2',
    );
  });

  it('builds the namespace from the image digest and the serial', () => {
    const doc = writeSpdx(fixtureInput());
    assert.equal(
      doc.documentNamespace,
      `${NAMESPACE_BASE}/example-web-app-sha256-${'b'.repeat(64)}-3e671687-395b-41f5-a30f-a58921a69b79`,
    );
    assert.ok(URL.canParse(doc.documentNamespace));
  });

  it('rejects what the schema forbids (the validator is not vacuous)', () => {
    const doc = writeSpdx(fixtureInput());
    assert.notDeepEqual(
      validateSpdx({ ...doc, packages: [{ ...doc.packages[0], primaryPackagePurpose: 'X' }] }),
      [],
    );
  });
});
