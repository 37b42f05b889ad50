/**
 * Secrets made up at test time. Nothing that looks like a credential is committed: prefixes are
 * assembled from parts and every random part comes from node:crypto at run time.
 */
import { createHmac, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { crc32, toBase62 } from '../verify.js';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64URL = `${B62}_-`;
const HEX = '0123456789abcdef';

/** Random characters from an alphabet, avoiding runs that noise rules treat as placeholders. */
export function randomFrom(alphabet: string, n: number): string {
  for (;;) {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
    if (!/x{6}|example|sample|dummy|fake|test/i.test(out)) return out;
  }
}

export const b62 = (n: number) => randomFrom(B62, n);
const p = (...parts: string[]) => parts.join('');

export function githubToken(kind: 'p' | 'o' | 'u' | 's' | 'r' = 'p'): string {
  const body = b62(30);
  return p('gh', kind, '_', body, toBase62(crc32(body), 6));
}

export function badChecksum(token: string): string {
  const last = token.at(-1) === 'a' ? 'b' : 'a';
  return token.slice(0, -1) + last;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

export function jwt(alg = 'HS256'): string {
  const head = base64url(JSON.stringify({ alg, typ: 'JWT' }));
  const body = base64url(JSON.stringify({ sub: b62(12), iat: 1700000000 }));
  const sig = createHmac('sha256', randomBytes(32)).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export function rsaPrivateKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

export function keyPairPems(): { privatePkcs8: string; publicSpki: string; encrypted: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicSpki: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    encrypted: privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: b62(16) })
      .toString(),
  };
}

/** An armored block of random bytes with the given label (OpenSSH/PGP shapes, certificates). */
export function armored(label: string, blankAfterHeader = false): string {
  const body =
    randomBytes(300)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  const head = `-----BEGIN ${label}-----`;
  return [head, ...(blankAfterHeader ? [''] : []), ...body, `-----END ${label}-----`, ''].join('\n');
}

/** One made-up value per built-in rule id. */
export function plantedValues() {
  const basic = Buffer.from(`deploy:${b62(20)}`).toString('base64');
  return {
    awsKeyId: p('AK', 'IA', randomFrom(B32, 16)),
    awsSecret: randomBytes(30).toString('base64'),
    gcpApiKey: p('AI', 'za', randomFrom(B64URL, 35)),
    azureKey: randomBytes(64).toString('base64'),
    github: githubToken('p'),
    githubServer: githubToken('s'),
    githubPat: p('github', '_pat_', b62(22), '_', b62(59)),
    gitlab: p('gl', 'pat-', b62(20)),
    npm: p('np', 'm_', b62(36)),
    npmrcAuth: b62(40),
    dockerAuth: basic,
    slack: p('xo', 'xb-', String(randomInt(1e9, 1e10)), '-', b62(24)),
    stripe: p('sk', '_live_', b62(24)),
    sendgrid: p('SG', '.', randomFrom(B64URL, 22), '.', randomFrom(B64URL, 43)),
    twilioKey: p('S', 'K', randomFrom(HEX, 32)),
    twilioSid: p('A', 'C', randomFrom(HEX, 32)),
    openai: p('sk', '-proj-', 'A1b', b62(45)),
    anthropic: p('sk', '-ant-', 'api03-', randomFrom(B64URL, 93)),
    jwt: jwt(),
    urlPassword: p('Q7', b62(14)),
    generic: p('Z9', b62(18)),
  };
}
