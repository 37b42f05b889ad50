import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAssayError } from '../../../model/errors.js';
import { type JsonMember, MemberSplitter } from './json-members.js';

function split(chunks: Buffer[], max = 1024): { name: string | undefined; offset: number; value?: string }[] {
  const splitter = new MemberSplitter('t.json', max);
  const out: JsonMember[] = [];
  for (const c of chunks) out.push(...splitter.push(c));
  splitter.end();
  return out.map((m) => ({ name: m.name, offset: m.offset, value: m.value?.toString('utf8') }));
}

const text =
  '\uFEFF { "a\\"b" : {"x": "}{][\\\\", "y": [1, {"z": null}]},\n"n": -1.5e3 ,"s":"q\\"}" , "t": true, "arr": [[]], "e": {}}  \n';

test('members, offsets and raw values, whatever the chunking', () => {
  const bytes = Buffer.from(text);
  const at = (s: string) => bytes.indexOf(s);
  assert.equal(at('"a'), 6); // after the 3-byte BOM and ' { '
  const whole = split([bytes]);
  assert.deepEqual(whole, [
    { name: 'a"b', offset: at('"a\\"b"'), value: '{"x": "}{][\\\\", "y": [1, {"z": null}]}' },
    { name: 'n', offset: at('"n"'), value: '-1.5e3' },
    { name: 's', offset: at('"s"'), value: '"q\\"}"' },
    { name: 't', offset: at('"t"'), value: 'true' },
    { name: 'arr', offset: at('"arr"'), value: '[[]]' },
    { name: 'e', offset: at('"e"'), value: '{}' },
  ]);
  for (let cut = 1; cut < bytes.length; cut++)
    assert.deepEqual(split([bytes.subarray(0, cut), bytes.subarray(cut)]), whole, `cut at ${cut}`);
  const bytewise = [...bytes].map((b) => Buffer.from([b]));
  assert.deepEqual(split(bytewise), whole);
});

test('an empty object has no members; a value over the limit comes without bytes but with its size', () => {
  assert.deepEqual(split([Buffer.from('{}')]), []);
  const splitter = new MemberSplitter('t.json', 10);
  const members = [...splitter.push(Buffer.from('{"big": [1,2,3,4,5,6,7,8], "ok": [1]}'))];
  splitter.end();
  assert.deepEqual(
    members.map((m) => [m.name, m.size, m.value?.toString()]),
    [
      ['big', 17, undefined],
      ['ok', 3, '[1]'],
    ],
  );
});

test('structural damage throws invalid-input with the byte offset', () => {
  const cases: [string, string][] = [
    ['{"a": [1}', 'invalid JSON at byte 8: unbalanced "}"'],
    ['{"a": 1 "b": 2}', 'invalid JSON at byte 8: expected "," or "}" after a member'],
    ['{"a": 1,}', 'invalid JSON at byte 8: expected a member name'],
    ['{"a" 1}', 'invalid JSON at byte 5: expected ":"'],
    ['{"a": 1} x', 'invalid JSON at byte 9: unexpected data after the JSON object'],
    ['{"a": tr"ue}', 'invalid JSON at byte 8: malformed value'],
    ['{"a": {"b": "c', 'truncated JSON at byte 14: inside member "a" (starting at byte 1)'],
    ['{"a": 1, ', 'truncated JSON at byte 9: before the object closed'],
    ['', 'truncated JSON at byte 0: no JSON object'],
    [`{"a": ${'['.repeat(300)}`, 'invalid JSON at byte 262: nesting deeper than 256'],
  ];
  for (const [input, message] of cases)
    assert.throws(
      () => split([Buffer.from(input)]),
      (err) => isAssayError(err, 'invalid-input') && err.message === `t.json: ${message}`,
      input,
    );
});

test('a key that is not a valid JSON string gives an unnamed member', () => {
  assert.deepEqual(split([Buffer.from('{"bad\\q": 1, "b": 2}')]), [
    { name: undefined, offset: 1, value: '1' },
    { name: 'b', offset: 13, value: '2' },
  ]);
});
