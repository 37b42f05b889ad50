import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAssayError } from '../model/errors.js';
import type { VulnerabilityFinding } from '../model/result.js';
import { applyExceptions, type ImageIdentity, loadIgnoreFile, loadIgnoreFileDetailed } from './exceptions.js';
import { parseIgnoreText } from './ignore-file.js';
import { matchesRepository } from './repository-pattern.js';

const dir = join(import.meta.dirname, 'testdata/ignore');
const NOW = new Date('2025-01-15T00:00:00Z');
const DIGEST = `sha256:${'1'.repeat(64)}`;
const teamA: ImageIdentity = {
  registry: 'registry.example.com',
  repository: 'team-a/app',
  digests: [DIGEST],
};
const other: ImageIdentity = {
  registry: 'docker.io',
  repository: 'library/debian',
  digests: [`sha256:${'9'.repeat(64)}`],
};

function finding(
  id: string,
  aliases: string[],
  name: string,
  purl: string,
  sourceName?: string,
): VulnerabilityFinding {
  return {
    kind: 'vulnerability',
    id,
    aliases,
    package: {
      id: name,
      type: 'deb',
      name,
      version: '1',
      purl,
      layerIndex: 0,
      layerDiffId: 'sha256:x',
      ...(sourceName ? { sourceName } : {}),
    },
    installedVersion: '1',
    status: 'fixed',
    severity: 'high',
    dataSource: { feed: 'osv', id },
    references: [],
    fromBaseImage: false,
  };
}

const FINDINGS = [
  finding(
    'CVE-2023-5678',
    ['DSA-5532-1'],
    'libssl3',
    'pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12',
    'openssl',
  ),
  finding('CVE-2020-1747', ['GHSA-6757-jp84-gxfx', 'PYSEC-2020-96'], 'PyYAML', 'pkg:pypi/pyyaml@5.3'),
  finding(
    'CVE-2021-44228',
    ['GHSA-jfh8-c2jp-5v3q'],
    'x',
    'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
  ),
  finding('CVE-2024-0002', ['DSA-5600-1'], 'libssl3', 'pkg:deb/debian/libssl3@3.0.11-1~deb12u1'),
  finding('CVE-2023-45133', [], '@babel/traverse', 'pkg:npm/%40babel/traverse@7.22.0'),
  finding('CVE-2023-39325', [], 'golang.org/x/net', 'pkg:golang/golang.org/x/net@v0.7.0'),
  finding('GHSA-aaaa-bbbb-cccc', ['PYSEC-2021-0001'], 'PyYAML', 'pkg:pypi/pyyaml@5.3'),
];

/** [id, exception reason] of the excepted findings. */
const excepted = (out: { findings: VulnerabilityFinding[] }) =>
  out.findings.filter((f) => f.exception).map((f) => [f.id, f.exception?.reason]);

test('{exceptions: [...]} YAML: aliases, package purls, repository and image scopes, expiry, cancellation', async () => {
  const entries = await loadIgnoreFile(join(dir, 'exceptions.yaml'));
  assert.equal(entries.length, 6);
  const a = applyExceptions(FINDINGS, entries, teamA, NOW, 'exceptions.yaml');
  assert.deepEqual(excepted(a), [
    ['CVE-2023-5678', 'DH keys are never generated from untrusted input'],
    ['CVE-2020-1747', 'yaml.load is only called with SafeLoader'],
    ['CVE-2021-44228', 'JNDI lookups disabled via log4j2.formatMsgNoLookups'],
  ]);
  assert.deepEqual(a.findings[0]?.exception, {
    reason: 'DH keys are never generated from untrusted input',
    author: 'alice@example.com',
    expires: '2030-01-01',
    source: 'exceptions.yaml',
  });
  assert.deepEqual(
    a.expired.map((i) => [i.code, i.message]),
    [
      [
        'exception-expired',
        'exception #4 (vulnerability CVE-2024-0002) in exceptions.yaml expired on 2024-06-30 and no longer applies: renew or remove it',
      ],
    ],
  );
  // Other image: the repository- and digest-scoped entries do not apply.
  assert.deepEqual(
    excepted(applyExceptions(FINDINGS, entries, other, NOW)).map((r) => r[0]),
    ['CVE-2023-5678'],
  );
  // Before its expiry date the entry applies; at 00:00 UTC of that date it no longer does.
  const before = applyExceptions(FINDINGS, entries, other, new Date('2024-06-29T23:59:59Z'));
  assert.deepEqual(
    excepted(before).map((r) => r[0]),
    ['CVE-2023-5678', 'CVE-2024-0002'],
  );
  assert.equal(applyExceptions(FINDINGS, entries, other, new Date('2024-06-30T00:00:00Z')).expired.length, 1);
});

test('a plain JSON list: repository exceptions cover every finding; package names narrow', async () => {
  const entries = await loadIgnoreFile(join(dir, 'entries.json'));
  const debian = applyExceptions(FINDINGS, entries, other, NOW);
  assert.equal(excepted(debian).length, FINDINGS.length);
  const a = applyExceptions(FINDINGS, entries, teamA, NOW);
  assert.deepEqual(excepted(a), [['CVE-2023-39325', 'HTTP/2 server not enabled']]);
  // Already-excepted findings keep their first exception.
  const twice = applyExceptions(debian.findings, entries, teamA, NOW);
  assert.equal(excepted(twice).length, FINDINGS.length);
});

test('.trivyignore: ids, exp:, comment blocks as reasons, trailing comments', async () => {
  const loaded = await loadIgnoreFileDetailed(join(dir, 'trivyignore'));
  assert.equal(loaded.format, 'trivyignore');
  const reasonless = `(no reason given in ${join(dir, 'trivyignore')})`;
  assert.deepEqual(
    loaded.entries.map((e) => [e.target, e.expires, e.reason]),
    [
      ['CVE-2023-5678', undefined, 'Accept the risk: DH keys only from our own config'],
      ['CVE-2024-0002', '2024-06-30', 'Accept the risk: DH keys only from our own config'],
      ['CVE-2021-44228', '2030-01-01', 'log4j2.formatMsgNoLookups=true'],
      ['GHSA-aaaa-bbbb-cccc', undefined, reasonless],
    ],
  );
  const out = applyExceptions(FINDINGS, loaded.entries, other, NOW, loaded.source);
  assert.deepEqual(
    excepted(out).map((r) => r[0]),
    ['CVE-2023-5678', 'CVE-2021-44228', 'GHSA-aaaa-bbbb-cccc'],
  );
  assert.equal(out.expired.length, 1);
});

test('OpenVEX: not_affected and fixed become exceptions, scoped to the image and its subcomponents', async () => {
  const loaded = await loadIgnoreFileDetailed(join(dir, 'openvex.json'));
  assert.equal(loaded.source, `openvex:${join(dir, 'openvex.json')}`);
  assert.deepEqual(
    loaded.entries.map((e) => [e.target, e.scope, e.package, e.reason, e.author, e.created]),
    [
      ...['CVE-2023-5678', 'DSA-5532-1'].map((target) => [
        target,
        { image: DIGEST },
        'pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12',
        'OpenVEX: not_affected (vulnerable_code_not_in_execute_path): The application never generates DH keys.',
        'Example Security Team',
        '2024-03-01',
      ]),
      [
        'CVE-2020-1747',
        undefined,
        'pkg:pypi/pyyaml@5.3',
        'OpenVEX: fixed: Patched in our fork',
        'Example Security Team',
        '2024-03-01',
      ],
    ],
  );
  assert.equal(loaded.warnings.length, 1);
  assert.match(loaded.warnings[0] ?? '', /statements\[3\]\.products\[0\]/);
  const out = applyExceptions(FINDINGS, loaded.entries, teamA, NOW, loaded.source);
  assert.deepEqual(
    excepted(out).map((r) => r[0]),
    ['CVE-2023-5678', 'CVE-2020-1747'],
  );
  // The image scope: another image keeps the libssl3 finding.
  assert.deepEqual(
    excepted(applyExceptions(FINDINGS, loaded.entries, other, NOW)).map((r) => r[0]),
    ['CVE-2020-1747'],
  );
  // A versioned purl only covers that version.
  const newer = finding('CVE-2020-1747', [], 'PyYAML', 'pkg:pypi/pyyaml@5.3.1');
  assert.deepEqual(excepted(applyExceptions([newer], loaded.entries, teamA, NOW)), []);
});

test('bad input: the file, the entry and the field are named', async (t) => {
  const tmp = await mkdtemp(join(tmpdir(), 'assay-ignore-'));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  const cases: Array<[string, string, RegExp]> = [
    ['bad.json', '{"exceptions": [', /bad\.json: not valid JSON/],
    [
      'list.json',
      '[{"kind": "vulnerability", "target": "CVE-1", "reason": "r", "expires": "soon"}]',
      /\[0\]\.expires/,
    ],
    ['kind.yaml', 'exceptions:\n  - {kind: vuln, target: CVE-1, reason: r}\n', /exceptions\[0\]\.kind/],
    [
      'typo.yaml',
      'exceptions:\n  - {kind: vulnerability, target: CVE-1, reason: r, expire: 2024-01-01}\n',
      /exceptions\[0\]/,
    ],
    [
      'scope.yaml',
      '- {kind: vulnerability, target: CVE-1, reason: r, scope: {image: latest}}\n',
      /\[0\]\.scope/,
    ],
    ['other.yaml', 'hello: world\n', /expected \{exceptions/],
    [
      'vex.json',
      '{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"status": "maybe", "vulnerability": "CVE-1"}]}',
      /OpenVEX \.statements\[0\]\.status/,
    ],
    ['junk.txt', 'CVE-2023-1\nthis is not an id\n', /junk\.txt, line 2: unexpected "is"/],
  ];
  for (const [name, text, message] of cases) {
    const path = join(tmp, name);
    await writeFile(path, text);
    await assert.rejects(
      loadIgnoreFile(path),
      (err) => isAssayError(err, 'invalid-input') && message.test(err.message),
      name,
    );
  }
  await assert.rejects(
    loadIgnoreFile(join(dir, 'bad-field.yaml')),
    /bad-field\.yaml: exceptions\[1\]\.reason/,
  );
  await assert.rejects(loadIgnoreFile(join(dir, 'bad-trivyignore')), /line 2: exp:2024-02-30 is not a date/);
  await assert.rejects(loadIgnoreFile(join(tmp, 'missing')), (err) => isAssayError(err, 'invalid-input'));
});

test('format detection: an all-comment .trivyignore and an empty document are empty lists', () => {
  assert.deepEqual(parseIgnoreText('.trivyignore', '# nothing yet\n').entries, []);
  assert.deepEqual(parseIgnoreText('x.yaml', 'exceptions: []\n').entries, []);
  assert.equal(parseIgnoreText('ids', 'CVE-2024-1\n').format, 'trivyignore');
});

test('repository patterns: * within a segment, ** across', () => {
  const table: Array<[string, string, boolean]> = [
    ['docker.io/library/*', 'docker.io/library/debian', true],
    ['docker.io/library/*', 'docker.io/library/team/debian', false],
    ['registry.example.com/**', 'registry.example.com/a/b/c', true],
    ['team-a/*', 'team-a/app', true],
    ['team-a/app', 'team-a/app2', false],
    ['a.b/*', 'axb/c', false],
  ];
  for (const [pattern, repo, expected] of table)
    assert.equal(matchesRepository(pattern, [repo]), expected, `${pattern} ~ ${repo}`);
});

test('OpenVEX v0.0.x string forms, and statements without products', () => {
  const doc = {
    '@context': 'https://openvex.dev/ns',
    author: 'a',
    statements: [
      { vulnerability: 'CVE-2020-1747', products: ['pkg:pypi/pyyaml'], status: 'not_affected' },
      { vulnerability: 'CVE-2023-5678', status: 'not_affected', justification: 'component_not_present' },
    ],
  };
  const loaded = parseIgnoreText('vex.json', JSON.stringify(doc));
  assert.deepEqual(
    loaded.entries.map((e) => [e.target, e.package, e.reason]),
    [['CVE-2020-1747', 'pkg:pypi/pyyaml', 'OpenVEX: not_affected']],
  );
  assert.deepEqual(loaded.warnings, ['vex.json: statements[1] names no products; not applied']);
  // An unversioned purl covers every version of the package.
  const out = applyExceptions(FINDINGS, loaded.entries, other, NOW);
  assert.deepEqual(
    excepted(out).map((r) => r[0]),
    ['CVE-2020-1747'],
  );
});
