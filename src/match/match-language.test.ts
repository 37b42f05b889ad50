import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { IssueSchema } from '../model/issue.js';
import { VulnerabilityFindingSchema } from '../model/result.js';
import { matchImage } from './match-image.js';
import { LAYERS, os, type PkgSpec, pkg } from './testing/fixtures.js';
import { loadYamlDb } from './testing/yaml-db.js';

const db = loadYamlDb(join(import.meta.dirname, 'testdata/language.yaml'));
const alpine = os('alpine', 'alpine', '3.19.1');

function run(...specs: PkgSpec[]) {
  return matchImage({ os: alpine, packages: specs.map(pkg), layers: LAYERS }, db);
}

test('PyPI: PEP 503 names; GHSA + PYSEC + CVE merge into one finding keyed by the CVE', () => {
  const out = run({ type: 'python', name: 'PyYAML', version: '5.3', layer: 1 });
  assert.deepEqual(
    out.findings.map((f) => [f.id, f.aliases, f.fixedVersion, f.dataSource.id]),
    [
      ['CVE-2020-1747', ['GHSA-6757-jp84-gxfx', 'PYSEC-2020-96'], '5.3.1', 'GHSA-6757-jp84-gxfx'],
      // No CVE: linked through aliases, keyed by the GHSA id; matched through `versions` in one record.
      ['GHSA-aaaa-bbbb-cccc', ['PYSEC-2021-0001'], '5.4', 'GHSA-aaaa-bbbb-cccc'],
    ],
  );
  const [f] = out.findings;
  assert.equal(f?.cvss?.source, 'advisory');
  assert.equal(f?.cvss?.sourceName, 'GHSA');
  assert.equal(f?.severity, 'critical');
  assert.equal(f?.vendorSeverity, 'CRITICAL');
  assert.equal(f?.title, 'Improper Input Validation in PyYAML');
  assert.deepEqual(f?.references, [
    'https://nvd.nist.gov/vuln/detail/CVE-2020-1747',
    'https://github.com/yaml/pyyaml/pull/386',
    'https://bugzilla.redhat.com/show_bug.cgi?id=CVE-2020-1747',
  ]);
  assert.equal(f?.fromBaseImage, false);
  assert.equal(f?.package.createdBy, 'RUN pip install -r requirements.txt');
  // The unparsable bound of PYSEC-2099-1 is reported once, without a location (the DB's fault).
  assert.deepEqual(
    out.issues.map((i) => [i.code, i.location, /PYSEC-2099-1/.test(i.message)]),
    [['invalid-version', undefined, true]],
  );
  assert.deepEqual(run({ type: 'python', name: 'py_yaml', version: '5.3' }).findings, []);
  assert.equal(run({ type: 'python', name: 'pyyaml', version: '5.4' }).findings.length, 0);
});

test('Maven: group:artifact from the purl; a jar without a group id is not looked up', () => {
  const log4j = (purl: string): PkgSpec => ({ type: 'java', name: 'log4j-core', version: '2.14.1', purl });
  const [f, ...rest] = run(log4j('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1')).findings;
  assert.equal(rest.length, 0);
  assert.equal(f?.id, 'CVE-2021-44228');
  assert.equal(f?.fixedVersion, '2.15.0');
  assert.deepEqual([f?.cvss?.source, f?.cvss?.score, f?.cvssV4?.version], ['nvd', 10, '4.0']);
  assert.deepEqual(f?.kev, {
    dateAdded: '2021-12-10',
    dueDate: '2021-12-24',
    knownRansomwareCampaignUse: true,
  });
  assert.equal(f?.epss?.score, 0.97565);
  // On the 2.12 branch the fix is 2.12.2, not 2.15.0.
  const branch = run({
    type: 'java',
    name: 'x',
    version: '2.12.1',
    purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.12.1',
  });
  assert.equal(branch.findings[0]?.fixedVersion, '2.12.2');
  const bare = run(log4j('pkg:maven/log4j-core@2.14.1'));
  assert.deepEqual([bare.findings, bare.issues], [[], []]);
});

test('npm: scoped names as-is; CVSS from ADP before the advisory', () => {
  const [f] = run({
    type: 'npm',
    name: '@babel/traverse',
    version: '7.22.0',
    purl: 'pkg:npm/%40babel/traverse@7.22.0',
  }).findings;
  assert.deepEqual(
    [f?.id, f?.fixedVersion, f?.cvss?.source, f?.cvss?.score],
    ['CVE-2023-45133', '7.23.2', 'adp', 8.1],
  );
  assert.equal(run({ type: 'npm', name: '@babel/traverse', version: '7.23.2' }).findings.length, 0);
});

test('Go: module versions with a leading v; stdlib from the toolchain version, per branch', () => {
  const out = run(
    { type: 'go-module', name: 'golang.org/x/net', version: 'v0.7.0' },
    { type: 'go-stdlib', name: 'stdlib', version: '1.21.3' },
    { type: 'go-stdlib', name: 'stdlib', version: 'go1.20.10' },
    { type: 'go-module', name: 'example.com/app', version: '(devel)' },
  );
  assert.deepEqual(
    out.findings.map((f) => [f.id, f.package.name, f.installedVersion, f.fixedVersion, f.severity]),
    [
      ['CVE-2023-39325', 'golang.org/x/net', 'v0.7.0', '0.17.0', 'high'],
      ['CVE-2023-45283', 'stdlib', '1.21.3', '1.21.4', 'unknown'],
      ['CVE-2023-45283', 'stdlib', 'go1.20.10', '1.20.11', 'unknown'],
    ],
  );
  assert.deepEqual(out.issues, []);
});

test('a language ecosystem without data: one no-feed issue per ecosystem, no status change', () => {
  const out = run(
    { type: 'cargo', name: 'smallvec', version: '1.6.0' },
    { type: 'cargo', name: 'time', version: '0.1.0' },
    { type: 'gem', name: 'rack', version: '2.0.0' },
  );
  assert.equal(out.unsupportedOs, undefined);
  assert.deepEqual(
    out.issues.map((i) => [i.code, i.message]),
    [
      [
        'no-feed',
        'no vulnerability data for crates.io packages in the DB, so they were not matched: run `assay db update --source osv --ecosystem crates.io`',
      ],
      [
        'no-feed',
        'no vulnerability data for RubyGems packages in the DB, so they were not matched: run `assay db update --source osv --ecosystem RubyGems`',
      ],
    ],
  );
});

test('findings are sorted by CVSS v3 descending with N/A last, then id', () => {
  const out = run(
    { type: 'go-stdlib', name: 'stdlib', version: '1.21.2' },
    { type: 'python', name: 'pyyaml', version: '5.3' },
    {
      type: 'java',
      name: 'x',
      version: '2.14.1',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    },
  );
  assert.deepEqual(
    out.findings.map((f) => [f.id, f.cvss?.score ?? null]),
    [
      ['CVE-2021-44228', 10],
      ['CVE-2020-1747', 9.8],
      ['CVE-2023-39325', 7.5],
      ['CVE-2023-45283', null],
      ['GHSA-aaaa-bbbb-cccc', null],
    ],
  );
});

test('5,000 packages match quickly with one DB query per (namespace, name)', () => {
  let queries = 0;
  const counting = Object.assign(Object.create(db), {
    affected(ecosystem: string, name: string) {
      queries++;
      return db.affected(ecosystem, name);
    },
  });
  const specs: PkgSpec[] = [];
  for (let i = 0; i < 5000; i++) specs.push({ type: 'npm', name: `pkg-${i % 2500}`, version: `1.0.${i}` });
  specs.push(
    { type: 'python', name: 'PyYAML', version: '5.3' },
    { type: 'python', name: 'pyyaml', version: '5.2' },
  );
  const started = performance.now();
  const out = matchImage({ os: alpine, packages: specs.map(pkg), layers: LAYERS }, counting);
  const ms = performance.now() - started;
  assert.equal(queries, 2501);
  assert.equal(out.findings.length, 4);
  assert.ok(ms < 3000, `took ${ms} ms`);
});

test('every finding and issue validates against the result document schema', () => {
  const out = run(
    { type: 'python', name: 'PyYAML', version: '5.3' },
    {
      type: 'java',
      name: 'x',
      version: '2.14.1',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    },
    { type: 'cargo', name: 'smallvec', version: '1.6.0' },
    { type: 'npm', name: 'bad', version: 'not.a.version' },
  );
  assert.equal(out.findings.length, 3);
  VulnerabilityFindingSchema.array().parse(out.findings);
  IssueSchema.array().parse(out.issues);
  assert.deepEqual(out.issues.map((i) => i.code).sort(), ['invalid-version', 'invalid-version', 'no-feed']);
});
