import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Package, type PackageType, packageId } from '../model/package.js';
import { dropLockDuplicates, isLockFile } from './lock-duplicates.js';

function pkg(type: PackageType, name: string, version: string, path: string): Package {
  return {
    id: packageId(type, name, version, path),
    type,
    name,
    version,
    purl: `pkg:${type}/${name}@${version}`,
    licenses: [],
    locations: [{ layerDiffId: 'sha256:x', layerIndex: 0, path, evidence: 'primary' }],
    introducedIn: { layerIndex: 0, layerDiffId: 'sha256:x' },
  };
}

test('recognises lock files by name', () => {
  for (const p of [
    'app/package-lock.json',
    'yarn.lock',
    'srv/requirements-dev.txt',
    'x/Cargo.lock',
    'Gemfile.lock',
  ])
    assert.ok(isLockFile(p), p);
  for (const p of [
    'app/node_modules/ms/package.json',
    'usr/lib/python3/dist-packages/x.dist-info/METADATA',
    'requirements.md',
  ])
    assert.ok(!isLockFile(p), p);
});

test('a lock entry installed under the same directory is reported once, from the installed file', () => {
  const list = [
    pkg('npm', 'ms', '2.1.3', 'app/node_modules/ms/package.json'),
    pkg('npm', 'ms', '2.1.3', 'app/package-lock.json'),
    pkg('npm', 'debug', '4.3.4', 'app/package-lock.json'),
    pkg('npm', 'ms', '2.1.3', 'other/package-lock.json'),
    pkg('python', 'ms', '2.1.3', 'app/poetry.lock'),
  ];
  assert.deepEqual(
    dropLockDuplicates(list).map((p) => `${p.type}:${p.name}@${p.version} ${p.locations[0]!.path}`),
    [
      'npm:ms@2.1.3 app/node_modules/ms/package.json',
      'npm:debug@4.3.4 app/package-lock.json',
      'npm:ms@2.1.3 other/package-lock.json',
      'python:ms@2.1.3 app/poetry.lock',
    ],
  );
});

test('a lock file at the root is shadowed by installed files anywhere', () => {
  const list = [
    pkg('gem', 'rake', '13.0.6', 'Gemfile.lock'),
    pkg('gem', 'rake', '13.0.6', 'usr/local/bundle/specifications/rake-13.0.6.gemspec'),
  ];
  assert.deepEqual(
    dropLockDuplicates(list).map((p) => p.locations[0]!.path),
    ['usr/local/bundle/specifications/rake-13.0.6.gemspec'],
  );
});
