import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isAffected, isEvaluableRange, type OsvRange } from './osv-range.js';
import { InvalidVersionError } from './scheme.js';

const eco = (...events: OsvRange['events']): OsvRange => ({ type: 'ECOSYSTEM', events });
const semverRange = (...events: OsvRange['events']): OsvRange => ({ type: 'SEMVER', events });

function record(name: string): { affected: Array<{ ranges: OsvRange[]; versions?: string[] }> } {
  return JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));
}

test('OSV schema examples (https://ossf.github.io/osv-schema/#examples)', () => {
  const all = [semverRange({ introduced: '0' })];
  assert.equal(isAffected('semver', all, '0.0.0'), true);
  assert.equal(isAffected('semver', all, '99.0.0'), true);
  const before = [semverRange({ introduced: '0' }, { fixed: '1.0.2' })];
  assert.equal(isAffected('semver', before, '1.0.1'), true);
  assert.equal(isAffected('semver', before, '1.0.2'), false);
  const two = [
    semverRange({ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' }),
  ];
  const expect: Array<[string, boolean]> = [
    ['0.9.0', false],
    ['1.0.0', true],
    ['1.0.1', true],
    ['1.0.2', false],
    ['2.0.0', false],
    ['3.0.0', true],
    ['3.2.4', true],
    ['3.2.5', false],
    ['4.0.0', false],
  ];
  for (const [v, want] of expect) assert.equal(isAffected('semver', two, v), want, v);
});

test('last_affected is inclusive, fixed exclusive, introduced inclusive', () => {
  const last = [eco({ introduced: '1.0-1' }, { last_affected: '1.2-1' })];
  assert.equal(isAffected('deb', last, '1.0-1'), true);
  assert.equal(isAffected('deb', last, '1.2-1'), true);
  assert.equal(isAffected('deb', last, '1.2-1+deb12u1'), false);
  assert.equal(isAffected('deb', last, '1.0~rc1-1'), false);
});

test('events are evaluated in version order, whatever their order in the record', () => {
  const shuffled = [
    eco({ fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' }),
  ];
  assert.equal(isAffected('semver', shuffled, '1.0.1'), true);
  assert.equal(isAffected('semver', shuffled, '2.0.0'), false);
  assert.equal(isAffected('semver', shuffled, '3.1.0'), true);
  // Equal versions keep the record's order: fixed then re-introduced at 2.0 stays affected.
  const touching = [
    eco({ introduced: '1.0.0' }, { fixed: '2.0.0' }, { introduced: '2.0.0' }, { fixed: '3.0.0' }),
  ];
  assert.equal(isAffected('semver', touching, '2.5.0'), true);
  // ...and introduced then fixed at the same version is an empty interval.
  assert.equal(isAffected('semver', [eco({ introduced: '2.0.0' }, { fixed: '2.0.0' })], '2.0.0'), false);
});

test('limit events cap a range; "*" is infinity', () => {
  const limited = [eco({ introduced: '0' }, { limit: '2.0.0' })];
  assert.equal(isAffected('semver', limited, '1.9.9'), true);
  assert.equal(isAffected('semver', limited, '2.0.0'), false);
  assert.equal(isAffected('semver', [eco({ introduced: '1.0.0' }, { limit: '*' })], '9.0.0'), true);
  const twoLimits = [eco({ introduced: '0' }, { limit: '1.0.0' }, { limit: '3.0.0' })];
  assert.equal(isAffected('semver', twoLimits, '2.0.0'), true);
});

test('several ranges: any one is enough; GIT ranges are not evaluable and are ignored', () => {
  const ranges: OsvRange[] = [
    { type: 'GIT', repo: 'https://example.org/r.git', events: [{ introduced: '0' }, { fixed: 'abc123' }] },
    eco({ introduced: '2:1.0-1' }, { fixed: '2:1.0-3' }),
  ];
  assert.equal(isEvaluableRange(ranges[0]!), false);
  assert.equal(isAffected('deb', ranges, '2:1.0-2'), true);
  assert.equal(isAffected('deb', ranges, '1.0-2'), false);
  assert.equal(isAffected('deb', [ranges[0]!], '1.0-2'), false);
});

test('SEMVER ranges use semver order for any scheme, and Go keeps its v prefix', () => {
  assert.equal(isAffected('deb', [semverRange({ introduced: '1.0.0' }, { fixed: '1.2.0' })], '1.1.0'), true);
  assert.throws(() => isAffected('deb', [semverRange({ introduced: '1.0.0' })], '1.1'), InvalidVersionError);
  assert.equal(isAffected('go', [semverRange({ introduced: '0' }, { fixed: '1.20.5' })], 'v1.20.4'), true);
  assert.equal(isAffected('go', [semverRange({ introduced: '0' }, { fixed: '1.20.5' })], 'v1.20.5'), false);
});

test('the versions list matches the same string or an equal version', () => {
  assert.equal(isAffected('deb', [], '1.0-1', ['0.9-1', '1.0-1']), true);
  assert.equal(isAffected('deb', [], '0:1.0-1', ['1.0-1']), true);
  assert.equal(isAffected('deb', [], '1.0-2', ['1.0-1', 'not a version']), false);
});

test('invalid versions throw InvalidVersionError with the scheme and the input, never a guess', () => {
  const ranges = [eco({ introduced: '0' }, { fixed: '1.0-1' })];
  assert.throws(
    () => isAffected('deb', ranges, 'abc'),
    (e: unknown) =>
      e instanceof InvalidVersionError &&
      e.scheme === 'deb' &&
      e.input === 'abc' &&
      e.code === 'invalid-version',
  );
  assert.throws(
    () => isAffected('deb', [eco({ introduced: '0' }, { fixed: 'not-a-version!' })], '1.0'),
    (e: unknown) =>
      e instanceof InvalidVersionError && e.input === 'not-a-version!' && /fixed/.test(e.message),
  );
});

test('a real npm advisory: GHSA-c2qf-rxjj-qqgw (semver ReDoS)', () => {
  const { affected } = record('GHSA-c2qf-rxjj-qqgw.json');
  const hit = (v: string) => affected.some((a) => isAffected('semver', a.ranges, v, a.versions));
  const expect: Array<[string, boolean]> = [
    ['5.7.1', true],
    ['5.7.2', false],
    ['6.0.0', true],
    ['6.3.0', true],
    ['6.3.1', false],
    ['7.0.0-rc.1', false],
    ['7.5.1', true],
    ['7.5.2', false],
    ['7.6.0', false],
  ];
  for (const [v, want] of expect) assert.equal(hit(v), want, v);
});

test('a real Go advisory: GO-2025-3797 (pseudo-version fix, +incompatible intervals)', () => {
  const { affected } = record('GO-2025-3797.json');
  const ranges = affected[0]!.ranges;
  const expect: Array<[string, boolean]> = [
    ['v0.0.0-20250101000000-000000000000', true],
    ['v0.0.0-20250513065225-4ae5d647fb88', false],
    ['v9.10.0+incompatible', false],
    ['v9.11.0+incompatible', true],
    ['v9.11.15+incompatible', true],
    ['v9.11.16+incompatible', false],
    ['v10.5.5+incompatible', true],
    ['v10.8.0+incompatible', true],
    ['v10.8.1+incompatible', false],
    ['v10.9.0+incompatible', false],
  ];
  for (const [v, want] of expect) assert.equal(isAffected('go', ranges, v), want, v);
});
