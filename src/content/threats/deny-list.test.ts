import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { hashHits, MAX_LINE_LENGTH, parseDenyList, readDenyLists } from './deny-list.js';

const h = (s: string) => createHash('sha256').update(s).digest('hex');
const A = h('a');
const B = h('b');
const C = h('c');

function rejects(text: string | Buffer, pattern: RegExp): void {
  assert.throws(
    () => parseDenyList(text, 'list.txt'),
    (err: unknown) => isAssayError(err, 'invalid-input') && pattern.test(err.message),
  );
}

describe('parseDenyList: hash lines', () => {
  it('reads hashes with optional names, comments, blank lines, CRLF, case and prefix', () => {
    const text = `# feed\n\n${A}\r\n${B.toUpperCase()}  Mirai dropper \nsha256:${C}\tn/a\n`;
    const list = parseDenyList(text, 'feeds/list.txt');
    assert.equal(list.size, 3);
    assert.deepEqual(list.get(A), { source: 'feeds/list.txt' });
    assert.deepEqual(list.get(B), { name: 'Mirai dropper', source: 'feeds/list.txt' });
    assert.deepEqual(list.get(C), { source: 'feeds/list.txt' }, 'n/a is no name');
  });

  it('accepts sha256sum output, the first entry for a hash wins', () => {
    const list = parseDenyList(`${A}  ./bin/evil\n${A} *other\n`, 'x');
    assert.equal(list.get(A)?.name, './bin/evil');
  });

  it('rejects malformed lines naming file, line and an excerpt', () => {
    rejects(`${A}\n${A.slice(0, 32)} md5 here\n`, /list\.txt line 2: .*32 hex digits \(an MD5\?\)/);
    rejects(`${A}\nnot-a-hash\n`, /line 2: expected a SHA-256 \(64 hex digits\) \(not-a-hash\)/);
    rejects(`${A.slice(0, 63)}g`, /line 1: expected a SHA-256/);
    rejects(`x${'y'.repeat(200)}`, /\(xyyy.*\.\.\.\)$/);
  });

  it('rejects a line over the length bound without echoing it', () => {
    const long = `${A} ${'n'.repeat(MAX_LINE_LENGTH)}`;
    rejects(`${A}\n${long}\n`, /line 2: line longer than 4096 characters$/);
  });

  it('does not crash on invalid UTF-8 or control characters', () => {
    const bytes = Buffer.concat([Buffer.from(`${B} `), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]);
    assert.equal(parseDenyList(bytes, 'x').get(B)?.name, '\ufffd\ufffdA');
    rejects(Buffer.from([0xc3, 0x28, 0x00, 0x0a]), /line 1: .*\(\ufffd\(\?\)$/);
  });

  it('accepts an empty list', () => {
    assert.equal(parseDenyList('', 'x').size, 0);
    assert.equal(parseDenyList('# nothing\n\n', 'x').size, 0);
  });
});

describe('parseDenyList: CSV', () => {
  it('reads a header with a sha256 column and a name column, RFC 4180 quoting', () => {
    const text = [
      'md5,SHA256,Signature,comment',
      `x,${A},"Agent ""Tesla""",ignored`,
      `y,${B.toUpperCase()},,"a, b"`,
      '# comment',
      '',
    ].join('\n');
    const list = parseDenyList(text, 'l.csv');
    assert.deepEqual(list.get(A), { name: 'Agent "Tesla"', source: 'l.csv' });
    assert.deepEqual(list.get(B), { source: 'l.csv' });
  });

  it('reads a MalwareBazaar-style export: commented header, ", " separators, n/a', () => {
    const text = [
      '################',
      '# MalwareBazaar full data dump (CSV)',
      '# "first_seen_utc","sha256_hash","md5_hash","file_name","signature"',
      `"2024-01-01 00:00:00", "${A}", "m", "evil.exe", "AgentTesla"`,
      `"2024-01-02 00:00:00", "${B}", "m", "x.bin", "n/a"`,
      '# end',
    ].join('\r\n');
    const list = parseDenyList(text, 'full.csv');
    assert.equal(list.get(A)?.name, 'AgentTesla', 'signature is preferred to file_name');
    assert.equal(list.get(B)?.name, 'x.bin', 'file_name when the signature is n/a');
  });

  it('a single sha256 column is CSV too', () => {
    assert.ok(parseDenyList(`sha256\n${A}\n`, 'x').has(A));
  });

  it('rejects malformed rows', () => {
    rejects(`name,sha256\nfoo\n`, /line 2: no value in sha256 column 2 \(foo\)/);
    rejects(`name,sha256\nfoo,"${A}\n`, /line 2: unterminated quoted field/);
    rejects(`name,sha256\nfoo,"${A}"x\n`, /line 2: text after a closing quote/);
    rejects(`sha256,name\nabc,x\n`, /line 2: .*got 3 hex digits/);
  });
});

describe('readDenyLists and hashHits', () => {
  it('merges files in order, first list wins, hits name the entry or the list', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'assay-deny-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const one = join(dir, 'one.txt');
    const two = join(dir, 'two.csv');
    await writeFile(one, `${A} first\n${B}\n`);
    await writeFile(two, `sha256,name\n${A},second\n${C},third\n`);
    const list = await readDenyLists([one, two]);
    assert.equal(list.size, 3);
    assert.deepEqual(list.get(A), { name: 'first', source: one });
    assert.equal(list.get(C)?.source, two);

    const [hit] = hashHits(B.toUpperCase(), list);
    assert.deepEqual(hit, {
      kind: 'threat',
      id: 'hash-denylist',
      title: 'File on a SHA-256 threat deny-list',
      category: 'malware',
      severity: 'critical',
      engine: 'hash-list',
      sha256: B,
      evidence: 'listed in one.txt',
    });
    assert.equal(hashHits(A, list)[0]?.evidence, 'first');
    assert.deepEqual(hashHits(h('d'), list), []);
  });

  it('reports a missing file and names a bad one', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'assay-deny-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await assert.rejects(readDenyLists([join(dir, 'nope.txt')]), (e: unknown) =>
      isAssayError(e, 'not-found'),
    );
    const bad = join(dir, 'bad.txt');
    await writeFile(bad, `${A}\n\nzzz\n`);
    await assert.rejects(
      readDenyLists([bad]),
      (e: unknown) => isAssayError(e, 'invalid-input') && e.message.includes(`${bad} line 3:`),
    );
  });
});
