import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { b62 } from '../secrets/testing/tokens.js';
import { isSecretValue, looksSecretName, maskUrls, nameParts, redactCreatedBy } from './secret-names.js';

describe('looksSecretName', () => {
  const secret = [
    'PASSWORD',
    'DB_PASSWORD',
    'MYSQL_ROOT_PASSWORD',
    'PGPASSWORD',
    'authtoken',
    'db_pass',
    'GITHUB_TOKEN',
    'npmToken',
    'AWS_SECRET_ACCESS_KEY',
    'CLIENT_SECRET',
    'SECRET_KEY_BASE',
    'API_KEY',
    'STRIPE_APIKEY',
    'apiKey',
    'ACCESS_KEY',
    'SSH_PRIVATE_KEY',
    'GOOGLE_APPLICATION_CREDENTIALS_JSON',
    'REGISTRY_CREDENTIALS',
    'GPG_PASSPHRASE',
    'auth.token',
  ];
  const plain = [
    'PWD',
    'PATH',
    'GPG_KEY',
    'PASSWORD_FILE',
    'POSTGRES_PASSWORD_FILE',
    'TOKEN_URL',
    'SECRETS_DIR',
    'KEYCLOAK_TOKEN_ENDPOINT',
    'API_KEY_PATH',
    'TOKENIZERS_PARALLELISM',
    'PASSWORDLESS',
    'PYTHON_SHA256',
    'AWS_ACCESS_KEY_ID',
    'TOKEN_TTL',
    'KEY',
    '',
  ];
  for (const name of secret) it(`${name} looks secret`, () => assert.equal(looksSecretName(name), true));
  for (const name of plain) it(`${name} does not`, () => assert.equal(looksSecretName(name), false));

  it('splits camelCase and separators into lower-case parts', () => {
    assert.deepEqual(nameParts('myAPIKey.v2-x_Y'), ['my', 'apikey', 'v2', 'x', 'y']);
  });
});

describe('isSecretValue', () => {
  it('rejects empty values, placeholders and mounted-secret paths', () => {
    for (const v of [
      '',
      '  ',
      'changeme',
      `${'$'}{DB_PASSWORD}`,
      '$TOKEN',
      '<token>',
      'YOUR_API_KEY',
      '/run/secrets/db',
    ]) {
      assert.equal(isSecretValue(v), false, v);
    }
    assert.equal(isSecretValue(b62(20)), true);
  });
});

describe('redactCreatedBy', () => {
  it('masks secret-looking assignments, URL credentials and query strings; keeps the rest', () => {
    const token = b62(24);
    const pw = b62(12);
    const sig = b62(16);
    const raw = `RUN |3 NPM_TOKEN=${token} x y VERSION=1.2 GITHUB_TOKEN=${token} /bin/sh -c curl -u a:b https://u:${pw}@h.example/p?sig=${sig} && DB_PASSWORD="${pw}" make # buildkit`;
    const out = redactCreatedBy(raw);
    for (const value of [token, pw, sig]) assert.equal(out.includes(value), false, out);
    assert.equal(
      out,
      'RUN |3 NPM_TOKEN=*** VERSION=1.2 GITHUB_TOKEN=*** /bin/sh -c curl -u a:b https://***@h.example/p?*** && DB_PASSWORD=*** make # buildkit',
    );
  });

  it('leaves placeholders, _FILE names and plain commands alone', () => {
    const raw = `/bin/sh -c #(nop)  ENV DB_PASSWORD_FILE=/run/secrets/db TOKEN=${'$'}{TOKEN} PATH=/usr/bin`;
    assert.equal(redactCreatedBy(raw), raw);
  });
});

describe('maskUrls', () => {
  it('masks user-info and query of every URL, not an @ in the path', () => {
    assert.equal(
      maskUrls('git clone https://tok@git.example/r.git "ftp://a:b@h/x?y=1#z" https://h/p@v1?'),
      'git clone https://***@git.example/r.git "ftp://***@h/x?***" https://h/p@v1?***',
    );
    assert.equal(maskUrls('no urls here :// at all'), 'no urls here :// at all');
  });
});
