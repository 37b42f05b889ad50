import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { defaultSecretConfig, parseSecretConfig, readSecretConfig } from './config.js';
import { builtinRules } from './rules.js';
import { scanText } from './scan.js';
import { b62 } from './testing/tokens.js';

describe('secret config', () => {
  it('disables rules, adds custom rules and allow-paths (YAML)', () => {
    const cfg = parseSecretConfig(
      'secrets.yaml',
      [
        'disable-rules: [jwt, twilio-account-sid]',
        "allow-paths: ['usr/share/doc/**', '**/*.md', 'opt/app/?.txt']",
        'show-suppressed: true',
        'rules:',
        "  - {id: acme-key, regex: 'acme_[a-z0-9]{32}', severity: high, keywords: [ACME_], category: Acme}",
      ].join('\n'),
    );
    assert.equal(cfg.showSuppressed, true);
    assert.deepEqual(
      cfg.rules.map((r) => r.id),
      [
        ...builtinRules.map((r) => r.id).filter((id) => id !== 'jwt' && id !== 'twilio-account-sid'),
        'acme-key',
      ],
    );
    assert.deepEqual(cfg.rules.at(-1)?.keywords, ['acme_']);
    for (const path of [
      '/usr/share/doc/x/README',
      'usr/share/doc/a/b/c',
      'README.md',
      'a/b/c.md',
      'opt/app/a.txt',
    ]) {
      assert.ok(cfg.isAllowedPath(path), path);
    }
    for (const path of ['usr/share/docs/x', 'README.mdx', 'opt/app/ab.txt', 'opt/app/x/a.txt']) {
      assert.ok(!cfg.isAllowedPath(path), path);
    }
    const value = `acme_${b62(32).toLowerCase()}`;
    const result = scanText(Buffer.from(`key: ${value}\n`), { path: 'a', rules: cfg.rules });
    assert.deepEqual(
      result.matches.map((m) => [m.ruleId, m.category, m.severity]),
      [['acme-key', 'Acme', 'high']],
    );
    assert.ok(!JSON.stringify(result).includes(value));
  });

  it('reads JSON and has defaults', () => {
    const cfg = parseSecretConfig('s.json', '{"show-suppressed": false}');
    assert.equal(cfg.rules.length, builtinRules.length);
    assert.equal(defaultSecretConfig.rules.length, builtinRules.length);
    assert.ok(!defaultSecretConfig.isAllowedPath('etc/passwd'));
  });

  const bad: [string, RegExp][] = [
    [
      'rules: [{id: x, regex: "(a+)+", severity: high, keywords: [a]}]',
      /s\.yaml: rules\[0\]\.regex: .*nested quantifier/,
    ],
    [
      'rules: [{id: x, regex: "(.*)*", severity: high, keywords: [a]}]',
      /rules\[0\]\.regex: .*nested quantifier/,
    ],
    [
      'rules: [{id: x, regex: "(a|a)*", severity: high, keywords: [a]}]',
      /rules\[0\]\.regex: .*repeated alternation/,
    ],
    ['rules: [{id: x, regex: "a[", severity: high, keywords: [a]}]', /rules\[0\]\.regex: does not compile/],
    ['rules: [{id: x, regex: "a{1,3}", severity: urgent, keywords: [a]}]', /rules\[0\]\.severity/],
    [
      'rules: [{id: x, regex: "a{1,3}", severity: low, keywords: []}]',
      /rules\[0\]\.keywords: needs at least one/,
    ],
    ['rules: [{id: jwt, regex: "a{1,3}", severity: low, keywords: [a]}]', /rules\[0\]\.id: 'jwt' is already/],
    ['disable-rules: [jwt, nope]', /disable-rules\[1\]: unknown rule 'nope'/],
    ['show-suppressed: maybe', /show-suppressed/],
    ['allow-path: [x]', /allow-path/],
    ['rules: [{id: x, regex: "a", severity: low, keywords: [a', /s\.yaml: not valid YAML or JSON/],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${text}`, () => {
      assert.throws(
        () => parseSecretConfig('s.yaml', text),
        (err: unknown) => isAssayError(err, 'invalid-input') && message.test(err.message),
      );
    });
  }

  it('reads a file and names it when it cannot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'assay-secret-config-'));
    try {
      const file = join(dir, 'c.yaml');
      await writeFile(file, 'disable-rules: [jwt]\n');
      assert.ok(!(await readSecretConfig(file)).rules.some((r) => r.id === 'jwt'));
      await assert.rejects(readSecretConfig(join(dir, 'missing.yaml')), /missing\.yaml: cannot read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
