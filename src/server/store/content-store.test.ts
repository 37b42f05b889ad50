import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addContentException, sweepExpiredExceptions } from '../services/exceptions.js';
import { imageDetail } from '../services/images.js';
import { ingestResult } from '../services/scans.js';
import { backends, openTestStore } from '../testing/backends.js';
import { type ContentImageSpec, contentImageResult } from '../testing/content-fixtures.js';
import { digest } from '../testing/fixtures.js';

const spec = (label: string, extra: Partial<ContentImageSpec> = {}): ContentImageSpec => ({
  digest: digest(label),
  repository: `acme/${label}`,
  scanners: ['vuln', 'secret', 'config'],
  failOn: ['secret'],
  content: [{ kind: 'secret', id: 'private-key', at: 'root/.ssh/id_rsa', layer: 1 }],
  ...extra,
});

for (const backend of backends) {
  test(`content findings in the store on ${backend}`, async (t) => {
    const { store } = await openTestStore(backend, t);
    const summaryOf = async (label: string) => (await store.images.get(digest(label)))?.summary;

    await t.test('a live exception applies at ingest; fail-on then does not fire', async () => {
      await addContentException(
        store,
        {
          kind: 'secret',
          target: 'private-key:root/**',
          scope: { repository: 'acme/pre*' },
          reason: 'test key',
        },
        'test',
      );
      await ingestResult(store, contentImageResult(spec('pre')));
      await ingestResult(store, contentImageResult(spec('other')));
      assert.deepEqual(
        [(await summaryOf('pre'))?.content.secret, (await summaryOf('pre'))?.result],
        [0, 'PASS'],
      );
      assert.deepEqual(
        [(await summaryOf('other'))?.content.secret, (await summaryOf('other'))?.result],
        [1, 'FAIL'],
      );
      const d = await imageDetail(store, digest('pre'));
      assert.equal(d.findings[0]?.exception?.reason, 'test key');
    });

    await t.test('a newer scan replaces the content findings and fail-on', async () => {
      const newer = contentImageResult(
        spec('other', {
          scannedAt: '2026-11-02T00:00:00.000Z',
          failOn: [],
          content: [{ kind: 'config', id: 'root-user', at: 'config' }],
        }),
      );
      assert.equal((await ingestResult(store, newer)).outcome, 'replaced');
      const s = await summaryOf('other');
      assert.deepEqual([s?.content, s?.result], [{ secret: 0, threat: 0, config: 1 }, 'PASS']);
      assert.deepEqual(
        (await imageDetail(store, digest('other'))).findings.map((f) => f.id),
        ['root-user'],
      );
    });

    await t.test('a config exception matches the whole check id, colons included', async () => {
      const content = [{ kind: 'config' as const, id: 'label:maintainer', at: 'config' }];
      await ingestResult(store, contentImageResult(spec('colon', { content, failOn: ['config'] })));
      assert.equal((await summaryOf('colon'))?.result, 'FAIL');
      await addContentException(store, { kind: 'config', target: 'label', reason: 'prefix only' }, 'test');
      assert.equal((await summaryOf('colon'))?.content.config, 1);
      await addContentException(store, { kind: 'config', target: 'LABEL:Maintainer', reason: 'ok' }, 'test');
      assert.deepEqual(
        [(await summaryOf('colon'))?.content.config, (await summaryOf('colon'))?.result],
        [0, 'PASS'],
      );
    });

    await t.test('a content exception stops applying when it expires (periodic sweep)', async () => {
      await ingestResult(store, contentImageResult(spec('exp')));
      assert.equal((await summaryOf('exp'))?.result, 'FAIL');
      const since = new Date();
      const expires = new Date(Date.now() + 1500).toISOString();
      await addContentException(
        store,
        { kind: 'secret', target: 'PRIVATE-KEY', reason: 'brief', expires },
        'test',
      );
      assert.deepEqual(
        [(await summaryOf('exp'))?.content.secret, (await summaryOf('exp'))?.result],
        [0, 'PASS'],
      );
      await new Promise((r) => setTimeout(r, 1600));
      await sweepExpiredExceptions(store, since);
      // the scoped exception of the first test still covers acme/pre
      assert.deepEqual(
        [(await summaryOf('exp'))?.content.secret, (await summaryOf('exp'))?.result],
        [1, 'FAIL'],
      );
      assert.equal((await summaryOf('pre'))?.content.secret, 0);
    });
  });
}
