/**
 * Checks that run after a rule's regex matched, so that a string which only looks like a
 * secret is not reported: GitHub's checksum, a JWT header that names a real algorithm, a
 * Docker `auth` that decodes to `user:password`, a private-key marker followed by key material.
 */

/** Base62 alphabet of GitHub's token checksum (digits, then upper, then lower case). */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, the zlib one) of an ASCII string. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = (CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function toBase62(value: number, width: number): string {
  let out = '';
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's 2021 token format: prefix, 30 random base62 characters, then the CRC-32 of those
 * 30 characters in base62, left-padded to 6. A string that fails it is not a token GitHub issued.
 * https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
 */
export function hasValidGithubChecksum(token: string): boolean {
  const body = token.slice(4);
  if (body.length !== 36) return false;
  return toBase62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

function decodeBase64Url(part: string): string | undefined {
  const buf = Buffer.from(part, 'base64url');
  return buf.length === 0 ? undefined : buf.toString('latin1');
}

/**
 * A JWT is reported only when its header is a JSON object naming an `alg` other than `none`
 * (RFC 7519 §6: unsecured tokens carry no signature, so there is nothing secret to leak).
 */
export function isSignedJwt(token: string): boolean {
  const [header, , signature] = token.split('.');
  if (header === undefined || signature === undefined || signature.length === 0) return false;
  const text = decodeBase64Url(header);
  if (text === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return false;
    const alg = (parsed as Record<string, unknown>).alg;
    return typeof alg === 'string' && alg.length > 0 && alg.toLowerCase() !== 'none';
  } catch {
    return false;
  }
}

/** Docker's `auths.<registry>.auth` is base64 of `user:password`; anything else is not reported. */
export function isDockerAuth(value: string): boolean {
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return false;
  return /^[\x20-\x7e]+$/.test(decoded);
}

/** Key material: a line of base64 long enough to be part of a key body. */
const KEY_BODY = /^[A-Za-z0-9+/]{40,80}={0,2}$/;

/**
 * A private-key marker counts only when key material follows, on the same line (a PEM block
 * inside a JSON string, newlines escaped) or within the next few lines (after RFC 7468/4880
 * armor headers such as `Proc-Type:` or `Version:`). Parsers that merely name the marker stay quiet.
 */
export function privateKeyBody(sameLine: string, following: readonly string[]): string | undefined {
  if (sameLine.length >= 40) return sameLine;
  for (const line of following) {
    const trimmed = line.trim();
    if (KEY_BODY.test(trimmed)) return trimmed;
    if (trimmed !== '' && !/^[A-Za-z-]{1,40}:/.test(trimmed)) return undefined;
  }
  return undefined;
}

/** OpenAI-style keys are random: demand upper case, lower case and a digit, which prose never has. */
export function looksRandom(value: string): boolean {
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value);
}
