import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { findCredentials, helperServerUrl, normalizeServer } from './credentials.js';

let dir = '';
let savedPath: string | undefined;

/** Fake `docker-credential-*` helpers: they speak the real protocol (server URL on stdin). */
const HELPERS: Record<string, string> = {
  test: `#!/bin/sh
[ "$1" = get ] || exit 3
read -r server
case "$server" in
  registry.example:5000) echo '{"ServerURL":"registry.example:5000","Username":"helper-user","Secret":"helper-pass"}' ;;
  https://index.docker.io/v1/) echo '{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"refresh-me"}' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`,
  broken: '#!/bin/sh\necho "keychain locked" >&2\nexit 2\n',
  slow: '#!/bin/sh\nsleep 5\n',
  garbage: '#!/bin/sh\necho "s3cr3t-not-json"\n',
};

async function configDir(config: object): Promise<string> {
  const d = await mkdtemp(join(dir, 'cfg-'));
  await writeFile(join(d, 'config.json'), JSON.stringify(config));
  return d;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'assay-creds-'));
  for (const [name, script] of Object.entries(HELPERS)) {
    await writeFile(join(dir, `docker-credential-${name}`), script);
    await chmod(join(dir, `docker-credential-${name}`), 0o755);
  }
  savedPath = process.env.PATH;
  process.env.PATH = `${dir}${delimiter}${process.env.PATH ?? ''}`;
});

after(async () => {
  process.env.PATH = savedPath;
  await rm(dir, { recursive: true, force: true });
});

describe('server keys', () => {
  test('normalise URLs and Docker Hub aliases', () => {
    assert.equal(normalizeServer('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(normalizeServer('registry-1.docker.io'), 'docker.io');
    assert.equal(normalizeServer('http://Registry.Example:5000/v2/'), 'registry.example:5000');
    assert.equal(helperServerUrl('docker.io'), 'https://index.docker.io/v1/');
    assert.equal(helperServerUrl('ghcr.io'), 'ghcr.io');
  });
});

describe('findCredentials', () => {
  test('explicit --username/--password win; one without the other is a usage error', async () => {
    const d = await configDir({ auths: { 'registry.example:5000': { auth: b64('cfg:pw') } } });
    const c = await findCredentials('registry.example:5000', {
      username: 'u',
      password: 'p',
      dockerConfigDir: d,
    });
    assert.deepEqual(c, { username: 'u', password: 'p', source: '--username/--password' });
    await assert.rejects(findCredentials('x', { username: 'u' }), (e) => isAssayError(e, 'usage'));
  });

  test('auths: base64 auth (password with a colon), explicit fields, URL keys, Hub v1 key', async () => {
    const d = await configDir({
      auths: {
        'https://registry.example:5000/v2/': { auth: b64('alice:pa:ss') },
        'other.example': { username: 'bob', password: 'pw' },
        'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') },
        'token.example': { auth: b64('carol:'), identitytoken: 'idt' },
      },
    });
    const a = await findCredentials('registry.example:5000', { dockerConfigDir: d });
    assert.equal(a?.username, 'alice');
    assert.equal(a?.password, 'pa:ss');
    assert.match(a?.source ?? '', /auths\["https:\/\/registry\.example:5000\/v2\/"\] in .*config\.json/);
    assert.equal((await findCredentials('other.example', { dockerConfigDir: d }))?.username, 'bob');
    assert.equal((await findCredentials('docker.io', { dockerConfigDir: d }))?.username, 'hubuser');
    assert.equal((await findCredentials('token.example', { dockerConfigDir: d }))?.identityToken, 'idt');
    assert.equal(await findCredentials('unknown.example', { dockerConfigDir: d }), undefined);
  });

  test('credHelpers run docker-credential-<name> get; <token> marks an identity token', async () => {
    const d = await configDir({ credHelpers: { 'registry.example:5000': 'test', 'docker.io': 'test' } });
    const c = await findCredentials('registry.example:5000', { dockerConfigDir: d });
    assert.equal(c?.username, 'helper-user');
    assert.equal(c?.password, 'helper-pass');
    assert.match(c?.source ?? '', /docker-credential-test \(credHelpers in .*config\.json\)/);
    const hub = await findCredentials('docker.io', { dockerConfigDir: d });
    assert.deepEqual({ id: hub?.identityToken, user: hub?.username }, { id: 'refresh-me', user: undefined });
  });

  test('credsStore with nothing stored falls back to auths', async () => {
    const d = await configDir({ credsStore: 'test', auths: { 'x.example': { auth: b64('dave:pw') } } });
    assert.equal((await findCredentials('x.example', { dockerConfigDir: d }))?.username, 'dave');
    assert.equal(await findCredentials('y.example', { dockerConfigDir: d }), undefined);
  });

  test('missing, failing, slow and garbage helpers give clear errors without secrets', async () => {
    const cases: [string, RegExp][] = [
      ['missing', /docker-credential-missing \(credHelpers in .*\) is not installed or not on PATH/],
      ['broken', /docker-credential-broken .* failed for x\.example: keychain locked/],
      ['slow', /docker-credential-slow .* failed: timed out after 200 ms/],
      ['garbage', /docker-credential-garbage .* printed something other than credentials JSON/],
    ];
    for (const [helper, message] of cases) {
      const d = await configDir({ credHelpers: { 'x.example': helper } });
      await assert.rejects(
        findCredentials('x.example', { dockerConfigDir: d, helperTimeoutMs: 200 }),
        (e) => {
          assert.ok(isAssayError(e, 'unauthorized'), String(e));
          assert.match(e.message, message);
          assert.doesNotMatch(`${e.message} ${String(e.cause)}`, /s3cr3t/);
          return true;
        },
      );
    }
  });

  test('no config file → none; malformed config → usage error; DOCKER_CONFIG is honoured', async () => {
    assert.equal(await findCredentials('x.example', { dockerConfigDir: join(dir, 'nowhere') }), undefined);
    const bad = await mkdtemp(join(dir, 'bad-'));
    await writeFile(join(bad, 'config.json'), '{"auths": ');
    await assert.rejects(findCredentials('x.example', { dockerConfigDir: bad }), /not valid JSON/);
    const d = await configDir({ auths: { 'env.example': { auth: b64('erin:pw') } } });
    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = d;
    try {
      assert.equal((await findCredentials('env.example'))?.username, 'erin');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
    }
  });
});
