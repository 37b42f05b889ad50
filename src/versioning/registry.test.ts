import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { schemeForEcosystem, schemeIds, schemes } from './registry.js';

test('every scheme folder is registered, under its own id', () => {
  const folders = readdirSync(new URL('./schemes/', import.meta.url), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.deepEqual([...schemeIds].sort(), folders);
  for (const id of schemeIds) assert.equal(schemes[id].id, id);
});

test('OSV ecosystems map to schemes, with or without release suffixes', () => {
  const cases: Array<[string, string | undefined]> = [
    ['Debian', 'deb'],
    ['Debian:12', 'deb'],
    ['Ubuntu:22.04:LTS', 'deb'],
    ['Ubuntu:Pro:18.04:LTS', 'deb'],
    ['Alpine:v3.19', 'apk'],
    ['Wolfi', 'apk'],
    ['Chainguard', 'apk'],
    ['Red Hat:rhel_aus:8.4::appstream', 'rpm'],
    ['Rocky Linux:9', 'rpm'],
    ['AlmaLinux:8', 'rpm'],
    ['SUSE:SUSE Linux Enterprise Server 15 SP5', 'rpm'],
    ['openSUSE:Leap 15.5', 'rpm'],
    ['Photon OS:3.0', 'rpm'],
    ['Mageia:9', 'rpm'],
    ['openEuler:22.03-LTS-SP3', 'rpm'],
    ['Azure Linux:3', 'rpm'],
    ['PyPI', 'pep440'],
    ['npm', 'semver'],
    ['Go', 'go'],
    ['Maven', 'maven'],
    ['Maven:https://maven.google.com', 'maven'],
    ['RubyGems', 'rubygems'],
    ['NuGet', 'nuget'],
    ['Packagist', 'composer'],
    ['Packagist:https://packages.drupal.org/8', 'composer'],
    ['crates.io', 'cargo'],
    ['GIT', undefined],
    ['debian', undefined],
    ['Hex', undefined],
    ['', undefined],
    ['constructor', undefined],
  ];
  for (const [ecosystem, scheme] of cases) assert.equal(schemeForEcosystem(ecosystem), scheme, ecosystem);
});
