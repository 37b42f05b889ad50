import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addedUrls, assignments, displayUrl, parseCreatedBy, readPairs } from './history.js';

describe('parseCreatedBy', () => {
  const cases: [string, string, string][] = [
    ['/bin/sh -c #(nop)  USER app', 'USER', 'app'],
    ['/bin/sh -c #(nop)  ENV A=b', 'ENV', 'A=b'],
    ['/bin/sh -c #(nop) ADD file:6a5ecbd1b0b4e3a1 in / ', 'ADD', 'file:6a5ecbd1b0b4e3a1 in /'],
    ['/bin/sh -c #(nop)  CMD ["bash"]', 'CMD', '["bash"]'],
    [
      '/bin/sh -c apt-get update && apt-get install -y curl',
      'RUN',
      '/bin/sh -c apt-get update && apt-get install -y curl',
    ],
    ['USER 1000', 'USER', '1000'],
    ['ENV A=b', 'ENV', 'A=b'],
    ['ADD https://x.example/y.tgz /opt/ # buildkit', 'ADD', 'https://x.example/y.tgz /opt/'],
    ['RUN /bin/sh -c make # buildkit', 'RUN', '/bin/sh -c make'],
    [
      'HEALTHCHECK &{["NONE"] "0s" "0s" "0s" \'\\x00\'}',
      'HEALTHCHECK',
      '&{["NONE"] "0s" "0s" "0s" \'\\x00\'}',
    ],
    ['  user app  ', 'USER', 'app'],
  ];
  for (const [createdBy, keyword, args] of cases) {
    it(`reads ${createdBy}`, () => {
      assert.deepEqual(parseCreatedBy(createdBy), { keyword, args });
    });
  }

  it('reads the build-arg prefix of legacy and BuildKit RUN entries', () => {
    for (const createdBy of [
      '|2 TOKEN=abc d B=c /bin/sh -c npm ci',
      'RUN |2 TOKEN=abc d B=c /bin/sh -c npm ci # buildkit',
    ]) {
      assert.deepEqual(parseCreatedBy(createdBy), {
        keyword: 'RUN',
        args: '/bin/sh -c npm ci',
        buildArgs: [
          { name: 'TOKEN', value: 'abc d' },
          { name: 'B', value: 'c' },
        ],
      });
    }
  });

  it('keeps only the first word of the last pair (known limit: values are written unquoted)', () => {
    const run = parseCreatedBy('|1 MSG=hello world /bin/sh -c echo')!;
    assert.deepEqual(run.buildArgs, [{ name: 'MSG', value: 'hello' }]);
    assert.equal(run.args, 'world /bin/sh -c echo');
  });

  it('returns undefined for what is no instruction', () => {
    assert.equal(parseCreatedBy(undefined), undefined);
    assert.equal(parseCreatedBy(''), undefined);
    assert.equal(parseCreatedBy('{"weird": true}'), undefined);
  });

  it('stays linear on a hostile created_by', () => {
    const long = `${'/'.repeat(50_000)} ${'A'.repeat(50_000)}=${'='.repeat(50_000)}`;
    const instruction = parseCreatedBy(`RUN |1 ${long}`);
    assert.equal(instruction?.keyword, 'RUN');
  });
});

describe('readPairs and assignments', () => {
  it('stops at the first word that is not a pair, or at the limit', () => {
    assert.deepEqual(readPairs('A=1 B=2 /bin/sh', 1), {
      pairs: [{ name: 'A', value: '1' }],
      rest: 'B=2 /bin/sh',
    });
    assert.deepEqual(readPairs('=x A=1'), { pairs: [], rest: '=x A=1' });
  });

  it('takes ENV and ARG pairs with a value; ARG without one declares nothing', () => {
    assert.deepEqual(assignments(parseCreatedBy('ARG A=1 B C=x=y')!), [
      { name: 'A', value: '1 B' },
      { name: 'C', value: 'x=y' },
    ]);
    assert.deepEqual(assignments(parseCreatedBy('ARG VERSION')!), []);
    assert.deepEqual(assignments(parseCreatedBy('USER A=1')!), []);
  });
});

describe('addedUrls and displayUrl', () => {
  it('finds http(s) sources of ADD, not the destination and not COPY', () => {
    const add = parseCreatedBy(
      'ADD --chown=1:1 https://a.example/x.tgz http://b.example/y /opt/ # buildkit',
    )!;
    assert.deepEqual(addedUrls(add), ['https://a.example/x.tgz', 'http://b.example/y']);
    assert.deepEqual(addedUrls(parseCreatedBy('COPY https://a.example/x /opt/')!), []);
    assert.deepEqual(addedUrls(parseCreatedBy('/bin/sh -c #(nop) ADD file:abc in /opt/https://x')!), []);
    assert.deepEqual(addedUrls(parseCreatedBy('/bin/sh -c #(nop) ADD https://a.example/x in /opt/')!), [
      'https://a.example/x',
    ]);
  });

  it('drops user-info, query and fragment', () => {
    assert.equal(displayUrl('https://u:pw@a.example:8443/x.tgz?sig=abc#f'), 'https://a.example:8443/x.tgz');
    assert.equal(displayUrl('http://u:pw@[bad/x?sig=abc'), 'http://[bad/x');
  });
});
