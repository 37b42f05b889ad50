import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ExceptionDocumentSchema } from '../../../model/exception.js';
import type { Finding } from '../../../model/result.js';
import { backends } from '../../testing/backends.js';
import { contentImageResult } from '../../testing/content-fixtures.js';
import { digest } from '../../testing/fixtures.js';
import { type Harness, harness } from '../../testing/harness.js';

const EICAR_SHA = createHash('sha256').update('a stand-in for a known-bad file').digest('hex');
const ALL = ['vuln', 'secret', 'threat', 'config'] as const;

const specs = {
  // WARN by CVSS; every content kind, posted out of display order
  app: contentImageResult({
    digest: digest('app'),
    repository: 'acme/app',
    scanners: [...ALL],
    findings: [{ id: 'CVE-2025-0100', cvss: 5.0 }],
    content: [
      { kind: 'config', id: 'curl-pipe-sh', severity: 'low', at: 'history:2', layer: 1 },
      { kind: 'threat', id: 'eicar', severity: 'critical', at: 'tmp/x.com', layer: 1, sha256: EICAR_SHA },
      {
        kind: 'secret',
        id: 'generic-api-key',
        severity: 'medium',
        at: 'lib/a.jar!/conf.properties',
        layer: 1,
      },
      { kind: 'config', id: 'root-user', severity: 'medium', at: 'config' },
      { kind: 'secret', id: 'aws-access-key-id', severity: 'high', at: 'app/.env', layer: 1 },
    ],
  }),
  // the only secret was excepted by the scanner's own ignore file
  clean: contentImageResult({
    digest: digest('clean'),
    repository: 'acme/clean',
    scanners: ['vuln', 'secret'],
    content: [{ kind: 'secret', id: 'aws-access-key-id', at: 'app/.env', excepted: true }],
  }),
  // no vulnerabilities, but --fail-on config
  strict: contentImageResult({
    digest: digest('strict'),
    repository: 'other/strict',
    scanners: [...ALL],
    failOn: ['config'],
    content: [{ kind: 'config', id: 'root-user', severity: 'medium', at: 'config' }],
  }),
  // a result from before content scanning: no `scanners`
  legacy: contentImageResult({ digest: digest('legacy'), repository: 'old/app' }),
};

type Row = { digest: string; content: Record<string, number>; scanners: string[]; result: string };

async function rows(h: Harness, query = ''): Promise<Map<string, Row>> {
  const r = await h.call('GET', `/api/v1/images?${query}`, { role: 'viewer' });
  assert.equal(r.statusCode, 200, r.body);
  return new Map(r.json().items.map((i: Row) => [i.digest, i]));
}

const names = async (h: Harness, query: string) =>
  [...(await rows(h, query)).keys()]
    .map((d) => Object.entries(specs).find(([, s]) => s.image.id === d)?.[0])
    .sort();

const row = async (h: Harness, key: keyof typeof specs) => (await rows(h)).get(specs[key].image.id);
const summary = async (h: Harness) => (await h.call('GET', '/api/v1/summary', { role: 'viewer' })).json();
const detail = async (
  h: Harness,
  key: keyof typeof specs,
): Promise<{ findings: Finding[]; result: string }> =>
  (await h.call('GET', `/api/v1/images/${specs[key].image.id}`, { role: 'viewer' })).json();

async function except(h: Harness, body: Record<string, unknown>): Promise<number> {
  const r = await h.call('POST', '/api/v1/exceptions/content', { body: { reason: 'reviewed', ...body } });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().id;
}

const cancel = async (h: Harness, id: number) =>
  assert.equal((await h.call('DELETE', `/api/v1/exceptions/content?id=${id}`)).statusCode, 200);

for (const backend of backends) {
  test(`content findings in the manager on ${backend}`, async (t) => {
    const h = await harness(backend, t);
    for (const doc of Object.values(specs))
      assert.equal((await h.call('POST', '/api/v1/scans', { role: 'scanner', body: doc })).statusCode, 201);

    await t.test('list rows count effective content findings per kind and name the scanners', async () => {
      assert.deepEqual((await row(h, 'app'))?.content, { secret: 2, threat: 1, config: 2 });
      assert.deepEqual((await row(h, 'clean'))?.content, { secret: 0, threat: 0, config: 0 });
      assert.deepEqual((await row(h, 'clean'))?.scanners, ['vuln', 'secret']);
      assert.deepEqual((await row(h, 'legacy'))?.scanners, ['vuln']);
      assert.equal((await row(h, 'strict'))?.result, 'FAIL');
      assert.equal((await row(h, 'app'))?.result, 'WARN');
    });

    await t.test('summary counts images having each kind', async () => {
      assert.deepEqual((await summary(h)).content, { secret: 1, threat: 1, config: 2 });
    });

    await t.test('the content filter keeps images with any listed kind; bad kinds are 400', async () => {
      assert.deepEqual(await names(h, 'content=secret'), ['app']);
      assert.deepEqual(await names(h, 'content=config'), ['app', 'strict']);
      assert.deepEqual(await names(h, 'content=threat,secret'), ['app']);
      assert.deepEqual(await names(h, 'content=config&repository=other/strict'), ['strict']);
      const bad = await h.call('GET', '/api/v1/images?content=malware', { role: 'viewer' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error, /content/);
    });

    await t.test('detail: vulnerabilities, then content by kind, severity, layer, place', async () => {
      const d = await detail(h, 'app');
      assert.deepEqual(
        d.findings.map((f) => `${f.kind}:${f.id}`),
        [
          'vulnerability:CVE-2025-0100',
          'secret:aws-access-key-id',
          'secret:generic-api-key',
          'threat:eicar',
          'config:root-user',
          'config:curl-pipe-sh',
        ],
      );
      const clean = await detail(h, 'clean');
      assert.equal(clean.findings[0]?.exception?.source, '.assayignore');
    });

    await t.test('a secret exception by RULE:PATH-GLOB excepts only the matching place', async () => {
      const id = await except(h, { kind: 'secret', target: 'AWS-ACCESS-KEY-ID:app/*' });
      assert.deepEqual((await row(h, 'app'))?.content, { secret: 1, threat: 1, config: 2 });
      const secret = (await detail(h, 'app')).findings.find((f) => f.id === 'aws-access-key-id');
      assert.equal(secret?.exception?.source, 'manager');
      assert.equal(secret?.exception?.reason, 'reviewed');
      assert.match(secret?.exception?.author ?? '', /^test-admin/);
      const jar = await except(h, { kind: 'secret', target: 'generic-api-key:lib/**' });
      assert.deepEqual((await row(h, 'app'))?.content, { secret: 0, threat: 1, config: 2 });
      assert.deepEqual((await summary(h)).content, { secret: 0, threat: 1, config: 2 });
      assert.deepEqual(await names(h, 'content=secret'), []);
      const listed = (
        await h.call('GET', '/api/v1/exceptions/content?kind=secret', { role: 'viewer' })
      ).json();
      assert.deepEqual(
        listed.items.map((e: { id: number }) => e.id),
        [id, jar],
      );
      await cancel(h, id);
      await cancel(h, jar);
      assert.deepEqual((await row(h, 'app'))?.content, { secret: 2, threat: 1, config: 2 });
      const after = (await detail(h, 'app')).findings.find((f) => f.id === 'aws-access-key-id');
      assert.equal(after?.exception, undefined);
    });

    await t.test('a threat exception by sha256 honours its scope', async () => {
      const other = await except(h, { kind: 'threat', target: EICAR_SHA, scope: { repository: 'other/*' } });
      assert.equal((await row(h, 'app'))?.content.threat, 1);
      await cancel(h, other);
      const all = await except(h, { kind: 'threat', target: `sha256:${EICAR_SHA.toUpperCase()}` });
      assert.equal((await row(h, 'app'))?.content.threat, 0);
      assert.deepEqual((await summary(h)).content, { secret: 1, threat: 0, config: 2 });
      await cancel(h, all);
      assert.equal((await row(h, 'app'))?.content.threat, 1);
    });

    await t.test('a config exception by check id, scoped to one image, lifts its fail-on FAIL', async () => {
      const id = await except(h, {
        kind: 'config',
        target: 'ROOT-USER',
        scope: { image: specs.strict.image.id },
      });
      assert.deepEqual((await row(h, 'strict'))?.content, { secret: 0, threat: 0, config: 0 });
      assert.equal((await row(h, 'strict'))?.result, 'PASS');
      assert.equal((await row(h, 'app'))?.content.config, 2);
      const exported = ExceptionDocumentSchema.parse(
        (await h.call('GET', '/api/v1/exceptions/export', { role: 'viewer' })).json(),
      );
      const live = exported.exceptions.filter((e) => !e.cancelled);
      assert.deepEqual(
        live.map((e) => [e.kind, e.target, e.scope]),
        [['config', 'ROOT-USER', { image: specs.strict.image.id }]],
      );
      assert.deepEqual([...new Set(exported.exceptions.map((e) => e.kind))].sort(), [
        'config',
        'secret',
        'threat',
      ]);
      await cancel(h, id);
      assert.equal((await row(h, 'strict'))?.result, 'FAIL');
    });

    await t.test('a threshold change keeps a fail-on image FAIL and re-grades the others', async () => {
      const put = await h.call('PUT', '/api/v1/settings/thresholds', { body: { warn: 9, fail: 10 } });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal((await row(h, 'strict'))?.result, 'FAIL');
      assert.equal((await row(h, 'app'))?.result, 'PASS');
      await h.call('PUT', '/api/v1/settings/thresholds', { body: { warn: 4, fail: 7 } });
      assert.equal((await row(h, 'strict'))?.result, 'FAIL');
      assert.equal((await row(h, 'app'))?.result, 'WARN');
    });

    await t.test('content exceptions are validated like the others', async () => {
      const post = (body: unknown) => h.call('POST', '/api/v1/exceptions/content', { body });
      for (const body of [
        { kind: 'vulnerability', target: 'CVE-2025-1', reason: 'x' },
        { kind: 'secret', target: 'rule', reason: 'x', package: 'openssl' },
        { kind: 'secret', target: 'rule:**/**/**/**/x', reason: 'x' },
        { kind: 'secret', target: 'rule:*a*a*a*b', reason: 'x' },
        { kind: 'config', target: 'root-user', reason: '' },
        { kind: 'config', target: 'root-user', reason: 'x', expires: '2020-01-01' },
      ])
        assert.equal((await post(body)).statusCode, 400, JSON.stringify(body));
      const viewer = await h.call('POST', '/api/v1/exceptions/content', {
        role: 'viewer',
        body: { kind: 'config', target: 'root-user', reason: 'x' },
      });
      assert.equal(viewer.statusCode, 403);
      assert.equal((await h.call('DELETE', '/api/v1/exceptions/content?id=99999')).statusCode, 404);
    });
  });
}
