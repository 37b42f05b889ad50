import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyLicense, groupForAnd, type LicenseTerm } from './licenses.js';
import { IdAllocator, LicenseRefs, sanitizeIdString } from './spdx-ids.js';

describe('classifyLicense', () => {
  const table: Array<[string, LicenseTerm]> = [
    ['MIT', { kind: 'id', id: 'MIT' }],
    [' Apache-2.0 ', { kind: 'id', id: 'Apache-2.0' }],
    ['GPL-2.0+', { kind: 'id', id: 'GPL-2.0+' }],
    ['MPL-2.0+', { kind: 'expression', expression: 'MPL-2.0+' }],
    ['Apache-2.0 OR MIT', { kind: 'expression', expression: 'Apache-2.0 OR MIT' }],
    ['(MIT OR ISC) AND BSD-3-Clause', { kind: 'expression', expression: '(MIT OR ISC) AND BSD-3-Clause' }],
    [
      'GPL-2.0-only WITH Classpath-exception-2.0',
      { kind: 'expression', expression: 'GPL-2.0-only WITH Classpath-exception-2.0' },
    ],
    // Not expressions: lowercase operators (old Fedora style), unknown ids, unbalanced or dangling.
    ['zlib and Boost', { kind: 'name', name: 'zlib and Boost' }],
    ['MIT OR Acme-1.0', { kind: 'name', name: 'MIT OR Acme-1.0' }],
    ['(MIT OR ISC', { kind: 'name', name: '(MIT OR ISC' }],
    ['MIT OR', { kind: 'name', name: 'MIT OR' }],
    ['MIT WITH GPL-2.0', { kind: 'name', name: 'MIT WITH GPL-2.0' }],
    ['mit', { kind: 'name', name: 'mit' }],
    ['LicenseRef-acme', { kind: 'name', name: 'LicenseRef-acme' }],
    ['MIT OR LicenseRef-acme', { kind: 'name', name: 'MIT OR LicenseRef-acme' }],
    ['Apache License, Version 2.0', { kind: 'name', name: 'Apache License, Version 2.0' }],
    ['Lizenz für Ümläute', { kind: 'name', name: 'Lizenz für Ümläute' }],
  ];
  for (const [raw, want] of table) {
    it(JSON.stringify(raw), () => assert.deepEqual(classifyLicense(raw), want));
  }

  it('groups compound terms before they are ANDed', () => {
    assert.equal(groupForAnd('MIT'), 'MIT');
    assert.equal(groupForAnd('MIT OR ISC'), '(MIT OR ISC)');
    assert.equal(groupForAnd('(A) OR (B)'), '((A) OR (B))');
  });
});

describe('SPDX ids', () => {
  it('sanitises to letters, digits, dots and dashes', () => {
    assert.equal(sanitizeIdString('@babel/core'), 'babel-core');
    assert.equal(sanitizeIdString('ünï code_gem 1.0'), 'n-code-gem-1.0');
    assert.equal(sanitizeIdString('日本語'), '');
  });

  it('allocates unique ids, never an empty body', () => {
    const ids = new IdAllocator('SPDXRef-');
    assert.deepEqual(
      [ids.allocate('Package', 'a/b'), ids.allocate('Package', 'a b'), ids.allocate('日本語')],
      ['SPDXRef-Package-a-b', 'SPDXRef-Package-a-b-2', 'SPDXRef-unnamed'],
    );
  });

  it('gives one LicenseRef per distinct name, distinct for names that sanitise alike', () => {
    const refs = new LicenseRefs();
    assert.equal(refs.refFor('Foo License'), 'LicenseRef-Foo-License');
    assert.equal(refs.refFor('Foo License'), 'LicenseRef-Foo-License');
    assert.equal(refs.refFor('Foo/License'), 'LicenseRef-Foo-License-2');
    assert.equal(refs.list().length, 2);
  });
});
