/**
 * Authentication against real distribution 2.8 registries: htpasswd (Basic) and token auth
 * with the harness's token server; credentials from options, config.json `auths`, a fake
 * credential helper on PATH, and an identity token (OAuth2 refresh-token POST).
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { type BuiltImage, buildImage } from '../../test-support/oci-image.js';
import { startRegistry, type TestRegistry } from '../../test-support/registry.js';
import { parseReference } from '../reference.js';
import { openRegistrySource, type RegistryOptions } from '../sources/registry.js';

let basic: TestRegistry;
let token: TestRegistry;
let image: BuiltImage;
let dir = '';
let emptyConfig = '';
let savedPath: string | undefined;

async function configDir(config: object): Promise<string> {
  const d = await mkdtemp(join(dir, 'cfg-'));
  await writeFile(join(d, 'config.json'), JSON.stringify(config));
  return d;
}

async function drain(stream: Readable): Promise<number> {
  let n = 0;
  for await (const c of stream) n += Buffer.isBuffer(c) ? c.length : 0;
  return n;
}

/** Describes the image and reads every layer; returns the layer byte counts. */
async function pull(registry: TestRegistry, opts: RegistryOptions): Promise<number[]> {
  const ref = `${registry.host}/private/app:1`;
  const source = openRegistrySource(`registry:${ref}`, parseReference(ref), {
    dockerConfigDir: emptyConfig,
    ...opts,
  });
  try {
    const d = await source.describe();
    return await Promise.all(d.layers.map(async (l) => drain(await source.openLayer(l))));
  } finally {
    await source.close();
  }
}

const sizes = () => image.layers.map((l) => l.data.length);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'assay-auth-'));
  emptyConfig = await mkdtemp(join(dir, 'empty-'));
  const helper = join(dir, 'docker-credential-assaytest');
  // A credential helper speaking the real protocol; it reads its answer from an env var.
  await writeFile(helper, '#!/bin/sh\nread -r server\nprintf \'%s\' "$ASSAY_TEST_HELPER_ANSWER"\n');
  await chmod(helper, 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${dir}${delimiter}${process.env.PATH ?? ''}`;
  image = await buildImage({
    layers: [{ files: [{ path: 'a', content: 'private' }] }, { files: [{ path: 'b', content: 'bits' }] }],
  });
  [basic, token] = await Promise.all([
    startRegistry({ auth: 'basic' }),
    startRegistry({ auth: 'token', identityTokens: { 'refresh-alice': 'alice' } }),
  ]);
  await Promise.all([basic.push(image, 'private/app', '1'), token.push(image, 'private/app', '1')]);
});

after(async () => {
  process.env.PATH = savedPath;
  await Promise.all([basic?.stop(), token?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

for (const mode of ['basic', 'token'] as const) {
  describe(`${mode} auth`, () => {
    const reg = () => (mode === 'basic' ? basic : token);

    test('--username/--password pull', async () => {
      assert.deepEqual(await pull(reg(), { username: reg().username, password: reg().password }), sizes());
    });

    test('a wrong password → unauthorized, saying which credentials and how to fix it', async () => {
      await assert.rejects(pull(reg(), { username: reg().username, password: 'wrong-guess' }), (e) => {
        assert.ok(isAssayError(e, 'unauthorized'), String(e));
        assert.match(e.message, new RegExp(`^${reg().host}/private/app:1: `));
        assert.match(
          e.message,
          /rejected (user "alice" from )?(the credentials from )?--username\/--password/,
        );
        assert.match(
          e.message,
          new RegExp(
            `docker login ${reg().host}\`, an entry for .* in .*config\\.json, or --username/--password`,
          ),
        );
        assert.doesNotMatch(e.message, /wrong-guess/);
        return true;
      });
    });

    test('no credentials anywhere → unauthorized, tried anonymously', async () => {
      await assert.rejects(pull(reg(), {}), (e) => {
        assert.ok(isAssayError(e, 'unauthorized'), String(e));
        assert.match(e.message, /requires authentication \(tried anonymously, no credentials found\)/);
        return true;
      });
    });

    test('credentials from config.json auths and from a credential helper', async () => {
      const auth = Buffer.from(`${reg().username}:${reg().password}`).toString('base64');
      assert.deepEqual(
        await pull(reg(), {
          dockerConfigDir: await configDir({ auths: { [`http://${reg().host}`]: { auth } } }),
        }),
        sizes(),
      );
      process.env.ASSAY_TEST_HELPER_ANSWER = JSON.stringify({
        Username: reg().username,
        Secret: reg().password,
      });
      const viaHelper = await configDir({ credHelpers: { [reg().host]: 'assaytest' } });
      assert.deepEqual(await pull(reg(), { dockerConfigDir: viaHelper }), sizes());
    });
  });
}

describe('token auth specifics', () => {
  test('one token request serves concurrent manifest and blob requests', async () => {
    const before = token.token?.requests.length ?? 0;
    assert.deepEqual(await pull(token, { username: token.username, password: token.password }), sizes());
    const mine = token.token?.requests.slice(before) ?? [];
    assert.deepEqual(mine, [{ method: 'GET', scopes: ['repository:private/app:pull'], user: 'alice' }]);
  });

  test('an identity token from config.json is used in the OAuth2 refresh-token POST', async () => {
    const before = token.token?.requests.length ?? 0;
    const cfg = await configDir({
      auths: {
        [token.host]: { auth: Buffer.from('alice:').toString('base64'), identitytoken: 'refresh-alice' },
      },
    });
    assert.deepEqual(await pull(token, { dockerConfigDir: cfg }), sizes());
    assert.deepEqual(
      token.token?.requests.slice(before).map((r) => [r.method, r.user]),
      [['POST', 'alice']],
    );
  });
});
