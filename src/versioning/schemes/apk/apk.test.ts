import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCorpus } from '../../testing/corpus.js';
import { apk } from './index.js';

const DATA = new URL('./testdata/version.data', import.meta.url);

/** The ordering, validity and invalidity lines of apk-tools' own test vectors. */
function vectors() {
  const order: Array<{ a: string; op: string; b: string; line: number }> = [];
  const valid: string[] = [];
  const invalid: string[] = [];
  readCorpus(DATA).forEach((raw, line) => {
    const text = raw.replace(/\s+#.*$/, '');
    const m = /^(\S+) (<|=|>) (\S+)$/.exec(text);
    if (m) order.push({ a: m[1]!, op: m[2]!, b: m[3]!, line });
    else if (text.startsWith('!')) invalid.push(text.slice(1));
    else if (!/ (~|<~|>~|!~) /.test(text)) valid.push(text);
  });
  return { order, valid, invalid };
}

test('apk orders the apk-tools test vectors as apk-tools does', () => {
  const { order } = vectors();
  assert.ok(order.length > 700, `read the vectors (${order.length})`);
  let compared = 0;
  for (const { a, op, b } of order) {
    const x = apk.parse(a);
    const y = apk.parse(b);
    // Upstream also orders invalid versions ("1.0bc", "23_foo") by a fallback; we reject them.
    if (!x.ok || !y.ok) {
      assert.ok(['1.0bc', '23_foo'].includes(x.ok ? b : a), `only the known invalid inputs: ${a} ${b}`);
      continue;
    }
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(apk.compare(x.value, y.value), want, `${a} ${op} ${b}`);
    assert.equal(apk.compare(y.value, x.value), want === 0 ? 0 : -want, `${b} reversed`);
    compared++;
  }
  assert.ok(compared > 700);
});

test('apk validates versions as apk_version_validate does', () => {
  const { valid, invalid } = vectors();
  for (const v of valid) assert.ok(apk.parse(v).ok, `valid: ${v}`);
  for (const v of ['', ...invalid]) assert.equal(apk.parse(v).ok, false, `invalid: ${JSON.stringify(v)}`);
});

// Readable consequences of the token order in apk-tools src/version.c (cross-checked with the
// vectors above): when tokens run out on one side, the side with the higher-ranked next kind is
// older, so a version without a commit hash is older than one with it.
const ORDER: Array<[string, '<' | '=' | '>', string]> = [
  ['1.0_alpha', '<', '1.0_beta'],
  ['1.0_beta', '<', '1.0_pre'],
  ['1.0_pre', '<', '1.0_rc'],
  ['1.0_rc', '<', '1.0'],
  ['1.0', '<', '1.0_cvs'],
  ['1.0_cvs', '<', '1.0_svn'],
  ['1.0_svn', '<', '1.0_git'],
  ['1.0_git', '<', '1.0_hg'],
  ['1.0_hg', '<', '1.0_p'],
  ['1.0', '<', '1.0-r0'],
  ['1.0-r0', '<', '1.0-r1'],
  ['1.0-r9', '<', '1.0-r10'],
  ['1.0-r1', '<', '1.0a'],
  ['1.0a', '<', '1.0.1'],
  ['1.0_p1', '<', '1.0.1'],
  ['1.05', '<', '1.5'],
  ['1.0~abc', '>', '1.0-r0'],
  ['1.0~abc', '>', '1.0'],
  ['1.0~abc', '<', '1.0_p1'],
  ['1.0_p1', '<', '1.0a'],
  ['1.0~0123', '<', '1.0~abc'],
  ['1.0_git20240101', '<', '1.0_git20240102'],
  ['1.0_pre20191002222144', '<', '1.0_pre20210530193627'],
  ['1.18446744073709551616', '>', '1.18446744073709551615'],
  ['1.99999999999999999999999', '<', '1.100000000000000000000000'],
];

test('apk orders suffixes, letters, revisions and big numbers', () => {
  for (const [a, op, b] of ORDER) {
    const x = apk.parse(a);
    const y = apk.parse(b);
    assert.ok(x.ok && y.ok, `${a} / ${b} parse`);
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(apk.compare(x.value, y.value), want, `${a} ${op} ${b}`);
  }
});

test('the Alpine and Wolfi corpus parses, except what apk-tools rejects too', () => {
  const corpus = readCorpus(new URL('./testdata/versions.txt', import.meta.url));
  const bad = corpus.filter((v) => !apk.parse(v).ok);
  // alpine-secdb lists a few fixes by upstream release names, not package versions.
  assert.ok(bad.length < corpus.length / 100, `few invalid: ${bad.join(', ')}`);
});
