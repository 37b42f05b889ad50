/** Hostile histories and configs: every pattern is linear-time by shape, and odd input is no crash. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRegexSafety } from '../secrets/regex-safety.js';
import { checkImageConfig, fileSystemThreats } from './checks.js';
import { HISTORY_PATTERNS } from './history.js';
import { REDACTION_PATTERNS } from './secret-names.js';
import { facts, historyAndLayers, listTree } from './testing/facts.js';

describe('hostile input', () => {
  it('uses only patterns that the regex-safety checker accepts', () => {
    for (const re of [...HISTORY_PATTERNS, ...REDACTION_PATTERNS]) {
      const verdict = checkRegexSafety(re.source, re.flags);
      assert.equal(verdict.ok, true, `${re}: ${verdict.ok ? '' : verdict.reason}`);
    }
  });

  it('handles megabyte-long created_by lines and garbage without throwing', () => {
    const mb = 1 << 20;
    const lines = [
      `RUN |9999 ${'A=b '.repeat(mb / 4)}/bin/sh -c x`,
      `ADD ${'https://'.repeat(mb / 8)} /x`,
      `ENV ${'TOKEN='.repeat(mb / 6)}`,
      `${'|'.repeat(mb)}`,
      `/bin/sh -c #(nop) ${'\u0000\uffff'.repeat(mb / 2)}`,
      `ADD http://u:${'@'.repeat(mb)}/ /`,
    ];
    const h = historyAndLayers(
      lines.map((l) => [l, true] as const),
      0,
    );
    const f = facts({ ...h, config: { User: 'a', Env: [`API_KEY=${'x'.repeat(mb)}`, '=', 'NOEQUALS'] } });
    const findings = checkImageConfig(f);
    assert.ok(findings.every((x) => x.kind === 'config'));
    assert.deepEqual(fileSystemThreats(f), []);
  });

  it('survives nulls where a config had them (JSON null, not absent)', () => {
    const config = JSON.parse('{"User":null,"Env":null,"Healthcheck":{"Test":null},"Labels":null}');
    const found = checkImageConfig(facts({ config }));
    assert.deepEqual(
      found.map((x) => x.id),
      ['root-user', 'no-healthcheck'],
    );
    const odd = JSON.parse('{"User":"app","Env":[7,"PATH=/x",null],"Healthcheck":{"Test":["CMD","true"]}}');
    assert.deepEqual(checkImageConfig(facts({ config: odd })), []);
  });

  it('survives odd trees: entries without layers, unknown layer indexes, PATH pointing at a file', () => {
    const tree = listTree([
      { path: 'usr/bin', type: 'file', size: 1, mode: 0o4777, layer: 7 },
      { path: 'x', type: 'symlink', size: 0, mode: 0o777, layer: -1, linkname: '/x' },
    ]);
    const f = facts({ tree, config: { User: 'a', Env: ['PATH=/usr/bin/:/x:/nowhere'] } });
    const [setuid] = checkImageConfig(f).filter((x) => x.id === 'setuid-files');
    assert.deepEqual(setuid?.location, { source: 'file', path: 'usr/bin', layerIndex: 7 });
    assert.deepEqual(
      fileSystemThreats(f).map((t) => t.id),
      ['setuid-added'],
    );
  });
});
