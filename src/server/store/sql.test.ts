import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify, isUnavailable, StoreUnavailableError } from './sql.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

test('connection failures are "unavailable"; statement errors are not', () => {
  for (const err of [
    pgError('57P01', 'terminating connection due to administrator command'),
    pgError('08006', 'connection failure'),
    pgError('55000', 'database "x" is not currently accepting connections'),
    pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new Error('PGlite is closed'),
  ])
    assert.ok(isUnavailable(err), err.message);
  for (const err of [
    pgError('42601', 'syntax error at or near "x"'),
    pgError('23505', 'duplicate key value violates unique constraint'),
    pgError('55000', 'object not in prerequisite state'),
    new Error('anything else'),
    'not an error',
  ])
    assert.ok(!isUnavailable(err), String(err));
  assert.ok(classify(new Error('PGlite is closed')) instanceof StoreUnavailableError);
  const other = new Error('boom');
  assert.equal(classify(other), other);
});
