import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backends } from '../../testing/backends.js';
import { harness } from '../../testing/harness.js';

interface Info {
  id: number;
  name: string;
  role: string;
}

for (const backend of backends) {
  test(`DELETE /api/v1/tokens/{id} on ${backend}`, async (t) => {
    const h = await harness(backend, t);
    const create = async (role: string, name: string, token?: string) => {
      const r = await h.call('POST', '/api/v1/tokens', { body: { role, name }, ...(token ? { token } : {}) });
      assert.equal(r.statusCode, 201);
      return r.json() as Info & { token: string };
    };
    const listed = async () =>
      ((await h.call('GET', '/api/v1/tokens')).json().items as Info[]).map((i) => i.name);

    await t.test('a revoked token is refused on the next request and leaves the list', async () => {
      const viewer = await create('viewer', 'dashboards');
      assert.equal((await h.call('GET', '/api/v1/summary', { token: viewer.token })).statusCode, 200);
      const r = await h.call('DELETE', `/api/v1/tokens/${viewer.id}`);
      assert.equal(r.statusCode, 200);
      assert.deepEqual(r.json().revoked, {
        ...r.json().revoked,
        id: viewer.id,
        name: 'dashboards',
        role: 'viewer',
      });
      assert.ok(!JSON.stringify(r.json()).includes(viewer.token));
      const after = await h.call('GET', '/api/v1/summary', { token: viewer.token });
      assert.equal(after.statusCode, 401);
      assert.ok(!(await listed()).includes('dashboards'));
      assert.equal((await h.call('DELETE', `/api/v1/tokens/${viewer.id}`)).statusCode, 404);
    });

    await t.test('only admins revoke; ids are validated', async () => {
      const target = await create('scanner', 'ci-2');
      for (const role of ['viewer', 'scanner'] as const)
        assert.equal((await h.call('DELETE', `/api/v1/tokens/${target.id}`, { role })).statusCode, 403);
      assert.equal((await h.call('DELETE', `/api/v1/tokens/${target.id}`, { token: null })).statusCode, 401);
      for (const bad of ['abc', '0', '-1', '1.5', '99999999999'])
        assert.equal((await h.call('DELETE', `/api/v1/tokens/${bad}`)).statusCode, 400, bad);
      assert.equal((await h.call('DELETE', '/api/v1/tokens/424242')).statusCode, 404);
      assert.ok((await listed()).includes('ci-2'));
    });

    let ops: (Info & { token: string }) | undefined;
    await t.test('the last admin token is kept; another admin can replace it', async () => {
      const admins = async () =>
        ((await h.call('GET', '/api/v1/tokens')).json().items as Info[]).filter((i) => i.role === 'admin');
      const [first] = await admins();
      assert.ok(first);
      const last = await h.call('DELETE', `/api/v1/tokens/${first.id}`);
      assert.equal(last.statusCode, 409);
      assert.match(last.json().error, /last admin token cannot be revoked/);
      const second = await create('admin', 'ops');
      ops = second;
      assert.equal(
        (await h.call('DELETE', `/api/v1/tokens/${first.id}`, { token: second.token })).statusCode,
        200,
      );
      assert.equal((await h.call('GET', '/api/v1/tokens')).statusCode, 401); // the harness's admin is gone
      assert.deepEqual(
        (await h.call('GET', '/api/v1/tokens', { token: second.token }))
          .json()
          .items.map((i: Info) => i.name),
        ['ci', 'auditor', 'ci-2', 'ops'],
      );
    });

    await t.test('two admins revoking each other at once: one admin always remains', async () => {
      assert.ok(ops);
      const a = await create('admin', 'a', ops.token);
      const bToken = await create('admin', 'b', ops.token);
      // exactly two admins, a and b, then each revokes the other at once
      assert.equal((await h.call('DELETE', `/api/v1/tokens/${ops.id}`, { token: a.token })).statusCode, 200);
      const codes = await Promise.all([
        h.call('DELETE', `/api/v1/tokens/${bToken.id}`, { token: a.token }),
        h.call('DELETE', `/api/v1/tokens/${a.id}`, { token: bToken.token }),
      ]);
      assert.equal(codes.filter((r) => r.statusCode === 200).length, 1, codes.map((r) => r.body).join(' '));
      const survivor = codes[0]?.statusCode === 200 ? a.token : bToken.token;
      const left = (await h.call('GET', '/api/v1/tokens', { token: survivor })).json().items as Info[];
      assert.equal(left.filter((i) => i.role === 'admin').length, 1);
    });

    await t.test('the route is in the OpenAPI document', async () => {
      const doc = (await h.call('GET', '/openapi.json', { token: null })).json();
      assert.ok(doc.paths['/api/v1/tokens/{id}']?.delete);
    });
  });
}
