import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { hdbLine, startClamd, startFakeClamd } from '../../test-support/clamd.js';
import { openClamd, parseClamdEndpoint, parseStreamReply } from './clamd.js';

/** The EICAR test string, assembled so no source file holds it. */
function eicar(): Buffer {
  const head = [...'}7)CC7)^P(45XZP\\4[PA@%P!O5X'].reverse().join('');
  return Buffer.from(
    `${head}$${['EICAR', 'STANDARD', 'ANTIVIRUS', 'TEST', 'FILE'].join('-')}!$H+H*`,
    'latin1',
  );
}

const planted = (i: number): Buffer => Buffer.from(`assay planted sample #${i}\n`);

describe('parseClamdEndpoint', () => {
  test('accepts unix and tcp forms', () => {
    assert.deepEqual(parseClamdEndpoint('unix:/run/clamav/clamd.ctl'), {
      kind: 'unix',
      path: '/run/clamav/clamd.ctl',
    });
    assert.deepEqual(parseClamdEndpoint('tcp:127.0.0.1:3310'), {
      kind: 'tcp',
      host: '127.0.0.1',
      port: 3310,
    });
    assert.deepEqual(parseClamdEndpoint('tcp:[::1]:3310'), { kind: 'tcp', host: '::1', port: 3310 });
    assert.deepEqual(parseClamdEndpoint('tcp:clamd.internal:3310'), {
      kind: 'tcp',
      host: 'clamd.internal',
      port: 3310,
    });
  });
  for (const bad of [
    '',
    '/run/clamd.ctl',
    'unix:',
    'tcp:host',
    'tcp:host:0',
    'tcp:host:99999',
    'tcp::3310',
    'http://x',
  ]) {
    test(`rejects ${JSON.stringify(bad)} saying the accepted forms`, () => {
      assert.throws(
        () => parseClamdEndpoint(bad),
        (e) =>
          isAssayError(e, 'invalid-input') && /unix:\/path\/to\/clamd\.ctl or tcp:HOST:PORT/.test(e.message),
      );
    });
  }
});

describe('parseStreamReply', () => {
  test('OK, FOUND, ERROR and garbage', () => {
    assert.deepEqual(parseStreamReply('unix:/s', 'stream: OK'), []);
    const [hit] = parseStreamReply('unix:/s', 'stream: Win.Test.EICAR_HDB-1 FOUND');
    assert.deepEqual(hit, {
      kind: 'threat',
      id: 'clamav:Win.Test.EICAR_HDB-1',
      engine: 'clamav',
      severity: 'critical',
      category: 'malware',
      title: 'ClamAV: Win.Test.EICAR_HDB-1',
      evidence: 'Win.Test.EICAR_HDB-1',
    });
    assert.throws(
      () => parseStreamReply('unix:/s', 'INSTREAM size limit exceeded. ERROR'),
      (e) => isAssayError(e, 'engine') && /unix:\/s: INSTREAM size limit exceeded/.test(e.message),
    );
    assert.throws(() => parseStreamReply('unix:/s', 'stream: FOUND'), /unexpected reply/);
    assert.throws(() => parseStreamReply('unix:/s', 'PONG'), /unexpected reply/);
  });
});

describe('openClamd against Debian clamd', () => {
  test('planted file, clean file, EICAR, 50 files concurrently', async (t) => {
    const signatures = [hdbLine(eicar(), 'Assay.Test.EICAR')];
    for (let i = 0; i < 50; i += 5) signatures.push(hdbLine(planted(i), `Assay.Test.Planted-${i}`));
    const clamd = await startClamd(t, { signatures: { 'assay-test.hdb': signatures.join('\n') } });
    const engine = await openClamd(`unix:${clamd.socket}`, { concurrency: 4 });
    t.after(() => engine.close());
    assert.match(engine.cacheKey, /^ClamAV \d+\.\d+/);

    const [hit, ...more] = await engine.scan('/srv/sample', planted(0));
    assert.equal(more.length, 0);
    assert.equal(hit?.id, 'clamav:Assay.Test.Planted-0.UNOFFICIAL');
    assert.equal(hit?.title, 'ClamAV: Assay.Test.Planted-0.UNOFFICIAL');
    assert.equal(hit?.severity, 'critical');
    assert.deepEqual(await engine.scan('/srv/clean', Buffer.from('nothing to see here\n')), []);
    const eicarHits = await engine.scan('/srv/eicar.com', eicar());
    assert.deepEqual(
      eicarHits.map((h) => h.id),
      ['clamav:Assay.Test.EICAR.UNOFFICIAL'],
    );

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => engine.scan(`/f/${i}`, planted(i))),
    );
    const found = results.flatMap((hits, i) => hits.map((h) => `${i} ${h.evidence}`));
    assert.deepEqual(
      found,
      Array.from({ length: 10 }, (_, k) => `${k * 5} Assay.Test.Planted-${k * 5}.UNOFFICIAL`),
    );
  });

  test('a file past StreamMaxLength is that file’s error, not a hit, and the engine goes on', async (t) => {
    const clamd = await startClamd(t, {
      signatures: { 'assay-test.hdb': hdbLine(planted(1), 'Assay.Test.Planted-1') },
      streamMaxLength: '1M',
    });
    const engine = await openClamd(`unix:${clamd.socket}`, { maxFileBytes: 8 * 1024 * 1024 });
    t.after(() => engine.close());
    const big = Buffer.alloc(3 * 1024 * 1024, 0x41);
    assert.equal(engine.wants('/big', big.length), true);
    // clamd replies and hangs up; rarely our next write's EPIPE wins the race against reading that reply.
    await assert.rejects(
      engine.scan('/big', big),
      (e) => isAssayError(e, 'engine') && /size limit exceeded|exceed its StreamMaxLength/.test(e.message),
    );
    assert.equal((await engine.scan('/p', planted(1))).length, 1);
  });
});

describe('openClamd failures', () => {
  test('clamd down: open fails naming the endpoint and the fix', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'assay-clamd-down-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const endpoint = `unix:${join(dir, 'absent.ctl')}`;
    await assert.rejects(
      openClamd(endpoint),
      (e) =>
        isAssayError(e, 'network') &&
        e.message.includes(endpoint) &&
        /is clamd running\? start it or drop --clamd/.test(e.message),
    );
  });

  test('clamd down over tcp: the same clear error', async () => {
    await assert.rejects(
      openClamd('tcp:127.0.0.1:1', { timeoutMs: 5000 }),
      (e) => isAssayError(e, 'network') && /tcp:127\.0\.0\.1:1 .*is clamd running/.test(e.message),
    );
  });

  test('a server that never answers: timeout naming the socket', async (t) => {
    const fake = await startFakeClamd(t, (cmd) => (cmd === 'VERSION' ? 'ClamAV 1.4.6/1/x\0' : undefined));
    const engine = await openClamd(`unix:${fake.socket}`, { timeoutMs: 300 });
    t.after(() => engine.close());
    await assert.rejects(
      engine.scan('/x', Buffer.from('x')),
      (e) => isAssayError(e, 'timeout') && e.message.includes(fake.socket) && /300 ms/.test(e.message),
    );
    const silent = await startFakeClamd(t, () => undefined);
    await assert.rejects(openClamd(`unix:${silent.socket}`, { timeoutMs: 200 }), (e) =>
      isAssayError(e, 'timeout'),
    );
  });

  test('garbage replies are errors, never hits', async (t) => {
    const fake = await startFakeClamd(t, (cmd) => {
      if (cmd === 'VERSION') return 'ClamAV 1.4.6/1/x\0';
      return Buffer.from([0xff, 0x00]);
    });
    const engine = await openClamd(`unix:${fake.socket}`, { timeoutMs: 2000 });
    t.after(() => engine.close());
    await assert.rejects(
      engine.scan('/x', Buffer.from('x')),
      (e) => isAssayError(e, 'engine') && /unexpected reply/.test(e.message),
    );

    const flood = await startFakeClamd(t, (cmd) =>
      cmd === 'VERSION' ? 'ClamAV 1/1/x\0' : 'A'.repeat(10_000),
    );
    const e2 = await openClamd(`unix:${flood.socket}`, { timeoutMs: 2000 });
    t.after(() => e2.close());
    await assert.rejects(e2.scan('/x', Buffer.from('x')), /unexpected reply/);

    const notClamd = await startFakeClamd(t, () => 'HTTP/1.1 400 Bad Request\r\n\r\n\0');
    await assert.rejects(
      openClamd(`unix:${notClamd.socket}`),
      (e) => isAssayError(e, 'engine') && /is it clamd/.test(e.message),
    );
  });

  test('the size-limit reply is that file’s error, not a hit', async (t) => {
    const fake = await startFakeClamd(
      t,
      (cmd) => (cmd === 'VERSION' ? 'ClamAV 1.4.6\0' : 'stream: OK\0'),
      100_000,
    );
    const engine = await openClamd(`unix:${fake.socket}`, { timeoutMs: 5000 });
    t.after(() => engine.close());
    await assert.rejects(
      engine.scan('/big', Buffer.alloc(1_000_000)),
      (e) =>
        isAssayError(e, 'engine') &&
        e.message.includes(`unix:${fake.socket}: INSTREAM size limit exceeded. ERROR`),
    );
    assert.deepEqual(await engine.scan('/small', Buffer.alloc(1000)), []);
  });

  test('wants: non-empty files up to maxFileBytes', async (t) => {
    const fake = await startFakeClamd(t, () => 'ClamAV 1.4.6\0');
    const engine = await openClamd(`unix:${fake.socket}`, { maxFileBytes: 100 });
    t.after(() => engine.close());
    assert.equal(engine.wants('/a', 0), false);
    assert.equal(engine.wants('/a', 100), true);
    assert.equal(engine.wants('/a', 101), false);
  });

  test('an aborted scan rejects as aborted', async (t) => {
    const fake = await startFakeClamd(t, (cmd) => (cmd === 'VERSION' ? 'ClamAV 1.4.6\0' : undefined));
    const engine = await openClamd(`unix:${fake.socket}`, { timeoutMs: 30_000 });
    t.after(() => engine.close());
    const ac = new AbortController();
    const p = engine.scan('/x', Buffer.from('x'), ac.signal);
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(p, (e) => isAssayError(e, 'aborted'));
  });
});
