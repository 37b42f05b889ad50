import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeCycloneDx } from './cyclonedx.js';
import { knownSpdxIds } from './licenses.js';
import { fixtureInput, fixtureOs } from './test-fixture.js';
import { assertGolden, cycloneDxSpdxIds, validateCycloneDx } from './test-schemas.js';

function licensesOf(bom: ReturnType<typeof writeCycloneDx>, name: string): unknown {
  return bom.components.find((c) => c.name === name)?.licenses;
}

describe('writeCycloneDx', () => {
  it('writes a realistic image that the official CycloneDX 1.6 schema accepts', () => {
    const bom = writeCycloneDx(fixtureInput());
    assert.deepEqual(validateCycloneDx(bom), []);
    assertGolden('web-app.cdx.json', bom);
  });

  it('is valid with no packages, no OS and no issues', () => {
    const bom = writeCycloneDx(fixtureInput({ packages: [], os: undefined, issues: [] }));
    assert.deepEqual(validateCycloneDx(bom), []);
    assert.deepEqual(bom.components, []);
    assert.equal(bom.metadata.properties, undefined);
    assertGolden('empty.cdx.json', bom);
  });

  it('names the image as an OCI purl and by its manifest digest', () => {
    const { component } = writeCycloneDx(fixtureInput()).metadata;
    assert.equal(component.type, 'container');
    assert.equal(component.name, 'example/web-app');
    assert.equal(component.version, fixtureInput().image.manifestDigest);
    assert.equal(
      component.purl,
      `pkg:oci/web-app@${component.version}?arch=amd64&repository_url=docker.io%2Fexample%2Fweb-app&tag=1.4.2`,
    );
  });

  it('keeps the OS and the provenance of every package', () => {
    const input = fixtureInput();
    const bom = writeCycloneDx(input);
    const os = bom.components[0]!;
    assert.deepEqual([os.type, os.name, os.version], ['operating-system', fixtureOs.id, '12']);
    for (const pkg of input.packages) {
      const component = bom.components.find((c) => c['bom-ref'] === pkg.id);
      assert.ok(component, pkg.name);
      assert.equal(component.purl, pkg.purl);
      const props = new Map(component.properties?.map((p) => [p.name, p.value]));
      assert.equal(props.get('assay:layer:diffId'), pkg.introducedIn.layerDiffId);
      assert.equal(props.get('assay:location:path'), pkg.locations[0]!.path);
      assert.equal(props.get('assay:package:source:name'), pkg.source?.name);
    }
  });

  it('sorts licences into ids, expressions and names', () => {
    const bom = writeCycloneDx(fixtureInput());
    assert.deepEqual(licensesOf(bom, 'bash'), [
      { license: { id: 'GPL-3.0+' } },
      { license: { id: 'GPL-2.0+' } },
    ]);
    assert.deepEqual(licensesOf(bom, 'orjson'), [{ expression: 'Apache-2.0 OR MIT' }]);
    assert.deepEqual(licensesOf(bom, 'perl-base'), [
      { expression: '(GPL-1.0+ OR Artistic-1.0) AND Artistic-2.0' },
    ]);
    assert.deepEqual(licensesOf(bom, 'zlib'), [{ license: { name: 'zlib and Boost' } }]);
    assert.deepEqual(licensesOf(bom, 'tslib'), [
      { license: { id: '0BSD' } },
      { license: { name: 'Custom: see LICENSE' } },
    ]);
    assert.equal(licensesOf(bom, 'libc6'), undefined);
  });

  it('keeps an expression next to a free name as a name, and stays valid', () => {
    const [pkg] = fixtureInput().packages;
    const bom = writeCycloneDx(fixtureInput({ packages: [{ ...pkg!, licenses: ['MIT OR ISC', 'Mine'] }] }));
    assert.deepEqual(validateCycloneDx(bom), []);
    assert.deepEqual(bom.components[1]?.licenses, [
      { license: { name: 'MIT OR ISC' } },
      { license: { name: 'Mine' } },
    ]);
  });

  it('gives duplicated package ids distinct bom-refs', () => {
    const [pkg] = fixtureInput().packages;
    const bom = writeCycloneDx(fixtureInput({ os: undefined, packages: [pkg!, pkg!] }));
    assert.deepEqual(validateCycloneDx(bom), []);
    assert.deepEqual(
      bom.components.map((c) => c['bom-ref']),
      [pkg!.id, `${pkg!.id}-2`],
    );
  });

  it('derives a stable serial number when the caller gives none', () => {
    const a = writeCycloneDx(fixtureInput({ serial: undefined }));
    assert.equal(a.serialNumber, writeCycloneDx(fixtureInput({ serial: undefined })).serialNumber);
    assert.notEqual(
      a.serialNumber,
      writeCycloneDx(fixtureInput({ serial: undefined, timestamp: '2027-01-01T00:00:00Z' })).serialNumber,
    );
    assert.deepEqual(validateCycloneDx(a), []);
  });

  it('only calls ids SPDX ids that the schema knows', () => {
    const schemaIds = cycloneDxSpdxIds();
    assert.deepEqual(
      [...knownSpdxIds].filter((id) => !schemaIds.has(id)),
      [],
    );
  });
});

describe('the CycloneDX validator', () => {
  it('rejects what the schema forbids (it is not vacuous)', () => {
    const bom = writeCycloneDx(fixtureInput());
    assert.notDeepEqual(validateCycloneDx({ ...bom, components: [{ type: 'image', name: 'x' }] }), []);
    assert.notDeepEqual(validateCycloneDx({ ...bom, serialNumber: 'urn:uuid:NOT-A-UUID' }), []);
  });
});
