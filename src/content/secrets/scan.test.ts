import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AWS_EXAMPLE_KEY_ID, AWS_EXAMPLE_SECRET } from './noise.js';
import { longLineStep, type ScanTextResult, scanText } from './scan.js';
import {
  armored,
  b62,
  badChecksum,
  githubToken,
  jwt,
  keyPairPems,
  plantedValues,
  randomFrom,
  rsaPrivateKeyPem,
} from './testing/tokens.js';

const v = plantedValues();
const pems = keyPairPems();
const rsa = rsaPrivateKeyPem();

/** `${NAME}`, the shell/compose variable reference. */
const envRef = (name: string) => `$${'{'}${name}}`;
const found = (r: ScanTextResult) => r.matches.map((m) => `${m.ruleId}@${m.line}`).sort();
const quiet = (r: ScanTextResult) => r.suppressed.map((m) => `${m.ruleId}@${m.line}:${m.reason}`).sort();
const scan = (path: string, text: string | Buffer) => scanText(Buffer.from(text), { path });

/** Every raw value that must never appear in a result. */
const raw = [...Object.values(v), rsa, pems.privatePkcs8, pems.encrypted];

function assertRedacted(result: ScanTextResult): void {
  const json = JSON.stringify(result);
  for (const value of raw) assert.ok(!json.includes(value), 'a raw secret leaked into the result');
  for (const m of [...result.matches, ...result.suppressed]) {
    assert.match(m.redacted, /^.{0,4}\*\*\*$/);
    assert.match(m.fingerprint, /^[0-9a-f]{64}$/);
  }
}

describe('planted secrets: exact finding sets', () => {
  const files: [path: string, text: string, expected: string[]][] = [
    [
      'root/.aws/credentials',
      `[default]\naws_access_key_id = ${v.awsKeyId}\naws_secret_access_key = ${v.awsSecret}\n`,
      ['aws-access-key-id@2', 'aws-secret-access-key@3'],
    ],
    [
      'app/sa.json',
      `${JSON.stringify({ type: 'service_account', private_key: pems.privatePkcs8 }, null, 1)}\n`,
      ['gcp-service-account-key@3'],
    ],
    [
      'app/main.js',
      [
        `const maps = "${v.gcpApiKey}";`,
        `const gh = '${v.github}', srv = '${v.githubServer}';`,
        `const pat = "${v.githubPat}"; const gl = "${v.gitlab}";`,
        `slack("${v.slack}"); stripe("${v.stripe}");`,
        `sendgrid("${v.sendgrid}"); twilio("${v.twilioKey}", "${v.twilioSid}");`,
        `openai("${v.openai}"); anthropic("${v.anthropic}");`,
        `fetch(url, { headers: { authorization: "Bearer ${v.jwt}" } });`,
        `const conn = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${v.azureKey};EndpointSuffix=core.windows.net";`,
        `const db = "postgres://app:${v.urlPassword}@db.internal:5432/app";`,
        `const password = "${v.generic}"; // not a config file: the generic rule stays quiet`,
      ].join('\n'),
      [
        'gcp-api-key@1',
        'github-token@2',
        'github-token@2',
        'github-fine-grained-pat@3',
        'gitlab-token@3',
        'slack-token@4',
        'stripe-secret-key@4',
        'sendgrid-api-key@5',
        'twilio-api-key@5',
        'twilio-account-sid@5',
        'openai-api-key@6',
        'anthropic-api-key@6',
        'jwt@7',
        'azure-storage-account-key@8',
        'url-credentials@9',
      ].sort(),
    ],
    [
      'home/node/.npmrc',
      `//registry.npmjs.org/:_authToken=${v.npm}\n//npm.corp/:_auth=${v.npmrcAuth}\n`,
      ['npm-token@1', 'npmrc-auth@2'],
    ],
    [
      'root/.docker/config.json',
      `${JSON.stringify({ auths: { 'registry.corp': { auth: v.dockerAuth } } }, null, 2)}\n`,
      ['docker-config-auth@4'],
    ],
    ['etc/ssl/private/server.key', rsa, ['private-key@1']],
    [
      'etc/keys/ec.pem',
      `${pems.privatePkcs8}${pems.encrypted}`,
      ['private-key@1', `private-key@${pems.privatePkcs8.split('\n').length}`],
    ],
    ['root/.ssh/id_ed25519', armored('OPENSSH PRIVATE KEY'), ['private-key@1']],
    ['root/key.asc', `${armored('PGP PRIVATE KEY BLOCK', true)}`, ['private-key@1']],
    [
      'srv/app/.env',
      `# settings\nDB_PASSWORD=${v.generic}\nAPI_TOKEN: "${b62(24)}"\n`,
      ['generic-secret-assignment@2', 'generic-secret-assignment@3'],
    ],
  ];

  for (const [path, text, expected] of files) {
    it(path, () => {
      const result = scan(path, text);
      assert.deepEqual(found(result), expected);
      assert.deepEqual(result.suppressed, []);
      assertRedacted(result);
    });
  }

  it('reports line and byte column', () => {
    const result = scan('a.txt', `first\n\u00e9\u00e9 key=${v.awsKeyId}\n`);
    assert.deepEqual(
      result.matches.map((m) => [m.line, m.column, m.redacted]),
      [[2, 10, `${v.awsKeyId.slice(0, 4)}***`]],
    );
  });

  it('gives the same fingerprint to the same value and rule', () => {
    const a = scan('a', `k=${v.stripe}`).matches[0];
    const b = scan('b', `other ${v.stripe}`).matches[0];
    assert.equal(a?.fingerprint, b?.fingerprint);
  });

  it('redacts at most a third of short values', () => {
    const result = scan('a.txt', `https://u:Q7w${b62(5)}@host/\n`);
    assert.equal(result.matches[0]?.redacted, 'Q7***');
  });
});

describe('decoys', () => {
  const decoys: [path: string, text: string, suppressed: string[]][] = [
    ['etc/ssl/certs/ca.pem', armored('CERTIFICATE'), []],
    ['etc/keys/pub.pem', pems.publicSpki, []],
    ['root/.ssh/key.pub.asc', armored('PGP PUBLIC KEY BLOCK', true), []],
    ['usr/lib/parser.c', 'if (strcmp(line, "-----BEGIN RSA PRIVATE KEY-----") == 0) return 1;\n', []],
    ['app/gh.js', `const t = "${badChecksum(githubToken())}";\n`, []],
    ['app/none.js', `const t = "${jwt('none')}";\n`, []],
    ['app/openai.js', 'const s = "sk-this-is-not-a-key-just-a-long-dashed-identifier";\n', []],
    [
      'root/.aws/config',
      `aws_access_key_id=${AWS_EXAMPLE_KEY_ID}\naws_secret_access_key=${AWS_EXAMPLE_SECRET}\n`,
      ['aws-access-key-id@1:example-value', 'aws-secret-access-key@2:example-value'],
    ],
    [
      'app/.env.example',
      [
        'API_TOKEN=changeme',
        `SECRET=${envRef('SECRET')}`,
        'PASSWORD=$DB_PASSWORD',
        'password: <password>',
        'token = "{{.Values.token}}"',
        'api_key=YOUR_API_KEY',
        'PASSWORD=aaaaaaaaaaaa',
        'secret=xxxxxxxxxxxxxxxx',
        `password=${b62(6)}-test-${b62(6)}`,
      ].join('\n'),
      [
        'generic-secret-assignment@1:placeholder',
        'generic-secret-assignment@2:placeholder',
        'generic-secret-assignment@3:placeholder',
        'generic-secret-assignment@4:placeholder',
        'generic-secret-assignment@5:placeholder',
        'generic-secret-assignment@6:placeholder',
        'generic-secret-assignment@7:low-entropy',
        'generic-secret-assignment@8:placeholder',
        'generic-secret-assignment@9:example-value',
      ],
    ],
    ['app/.npmrc', `//registry.npmjs.org/:_authToken=${envRef('NPM_TOKEN')}\n`, ['npmrc-auth@1:placeholder']],
    [
      'app/urls.txt',
      [
        'https://user:password@host/',
        `https://user:${envRef('PASS')}@host/`,
        'http://user@host/',
        'x@'.repeat(20),
      ].join('\n'),
      ['url-credentials@1:placeholder', 'url-credentials@2:placeholder'],
    ],
    [
      'app/package-lock.json',
      `"integrity": "sha512-${randomFrom('abcdef', 20)}/${`AK${'IA'}`}${randomFrom('ABCDEFGHJK', 16)}+${randomFrom('abcdef', 45)}=="\n`,
      ['aws-access-key-id@1:integrity-hash'],
    ],
    ['app/docker.json', '{"auths": {"r": {"auth": "bm90LWEtY3JlZGVudGlhbA=="}}}\n', []],
    // Seen in Debian's own packages (python3.11, ruby3.1): code and documentation, not credentials.
    [
      'usr/lib/python3.11/urllib/request.py',
      "proxy_auth = base64.b64encode(proxy_passwd.encode()).decode('ascii')\n",
      [],
    ],
    [
      'usr/lib/ruby/3.1.0/uri/generic.rb',
      [
        `#   uri = URI.parse("http://john:${b62(9)}@my.example.com")`,
        `#   URI.parse('http://myuser:${b62(9)}@api.test/x')`,
        'uri = "druby://#{s.addr[3]}:#{@config[:tcp_port]}"',
      ].join('\n'),
      ['url-credentials@1:example-value', 'url-credentials@2:example-value', 'url-credentials@3:placeholder'],
    ],
    // Debian's /etc/ssl/openssl.cnf: a reference to another section's value.
    [
      'etc/ssl/openssl.cnf',
      'secret = $insta::secret # pass:insta\n',
      ['generic-secret-assignment@1:placeholder'],
    ],
  ];
  for (const [path, text, suppressed] of decoys) {
    it(path, () => {
      const result = scan(path, text);
      assert.deepEqual(found(result), []);
      assert.deepEqual(quiet(result), suppressed);
    });
  }
});

describe('bad input', () => {
  it('skips binary files by the NUL heuristic', () => {
    const bytes = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(` ${v.stripe}`)]);
    assert.deepEqual(scanText(bytes, { path: 'bin/app' }), {
      matches: [],
      suppressed: [],
      skipped: 'binary',
    });
  });

  it('skips files above the size cap', () => {
    const result = scanText(Buffer.from(`x ${v.stripe}`), { path: 'a', maxFileBytes: 10 });
    assert.equal(result.skipped, 'too-large');
  });

  it('reads invalid UTF-8 and CRLF lines', () => {
    const bytes = Buffer.concat([
      Buffer.from('ok\r\n'),
      Buffer.from([0xff, 0xfe, 0xc3, 0x20]),
      Buffer.from(`${v.github}\r\n`),
    ]);
    const result = scanText(bytes, { path: 'a' });
    assert.deepEqual(
      result.matches.map((m) => [m.ruleId, m.line, m.column]),
      [['github-token', 2, 5]],
    );
    assertRedacted(result);
  });

  it('finds secrets anywhere in a line longer than the window, once each', () => {
    const step = longLineStep(70_000);
    // Around each window's accepted range: before, straddling and exactly at its first byte.
    const positions = [0, 100, step - 10, step + 60, 2 * step, 3 * step - 20, 3 * step + 200];
    const chars = [...randomFrom('abcdefghij ', 3 * step + 1000)];
    for (const p of positions) {
      if (p > 0) chars[p - 1] = ' ';
      chars.splice(p, v.stripe.length + 1, ...v.stripe, ' ');
    }
    const result = scanText(Buffer.from(`first line\n${chars.join('')}\nlast ${v.npm}\n`), {
      path: 'a',
      maxLineBytes: 70_000,
    });
    assert.deepEqual(
      result.matches.map((m) => [m.ruleId, m.line, m.column]),
      [...positions.map((p) => ['stripe-secret-key', 2, p + 1]), ['npm-token', 3, 6]],
    );
  });

  it('numbers lines across blocks and long lines', () => {
    const short = 'short line\n'.repeat(500_000);
    const long = `${'y'.repeat(300_000)} ${v.stripe}\n`;
    const text = `${v.gitlab}\n${short}${long}${short}key ${v.npm}\n`;
    const result = scanText(Buffer.from(text), { path: 'a' });
    assert.deepEqual(
      result.matches.map((m) => [m.ruleId, m.line, m.column]),
      [
        ['gitlab-token', 1, 1],
        ['stripe-secret-key', 500_002, 300_002],
        ['npm-token', 1_000_003, 5],
      ],
    );
  });

  it('caps the findings of one file', () => {
    const text = Array.from({ length: 50 }, () => githubToken()).join('\n');
    const result = scanText(Buffer.from(text), { path: 'a', maxMatches: 10 });
    assert.equal(result.matches.length, 10);
    assert.equal(result.truncated, true);
  });
});
