/**
 * CIS Docker Benchmark 4.10 ("Ensure secrets are not stored in Dockerfiles"): an ENV or ARG
 * whose NAME says it holds a credential. The name is split into word parts (`_`, `-`, `.` and
 * camelCase boundaries), so `TOKENIZERS_PARALLELISM` or `PASSWORDLESS` do not match while
 * `DB_PASSWORD`, `npmToken`, `PGPASSWORD` (a part ending with the word) and
 * `AWS_SECRET_ACCESS_KEY` do. A last part that names where a
 * secret is, not the secret (`PASSWORD_FILE`, `TOKEN_URL`, `SECRETS_DIR`), clears the name.
 * Placeholder values use the secret engine's own test (`isPlaceholder` in ../secrets/noise.ts).
 */
import { isPlaceholder } from '../secrets/noise.js';
import { readPairs } from './history.js';

/** One part alone is enough. `PWD` is the shell's working directory, not a password. */
const SECRET_PARTS = new Set([
  'password',
  'passwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'accesskey',
  'privatekey',
  'credential',
  'credentials',
  'creds',
]);

/** Run-together names end with the secret word: `PGPASSWORD`, `authtoken`, `clientsecret`. */
const SECRET_SUFFIX = /(?:password|passwd|secret|token|apikey|credentials)$/;

/** `<part>_KEY`: `API_KEY`, `ACCESS_KEY`, `PRIVATE_KEY`… (a bare `GPG_KEY` is a fingerprint). */
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'auth', 'encryption', 'signing', 'master']);

/** A last part like these names a place, a switch or a property of the secret, not the secret. */
const NOT_A_VALUE = new Set([
  'file',
  'files',
  'path',
  'dir',
  'directory',
  'url',
  'uri',
  'endpoint',
  'host',
  'port',
  'name',
  'id',
  'type',
  'user',
  'username',
  'length',
  'len',
  'ttl',
  'expiry',
  'expires',
  'timeout',
  'enabled',
  'enable',
  'disabled',
  'mode',
  'version',
  'header',
]);

const CAMEL = /([a-z0-9])([A-Z])/g;
const SEPARATOR = /[_.-]/;

export function nameParts(name: string): string[] {
  return name
    .replace(CAMEL, '$1_$2')
    .toLowerCase()
    .split(SEPARATOR)
    .filter((p) => p !== '');
}

export function looksSecretName(name: string): boolean {
  const parts = nameParts(name);
  if (parts.length === 0 || NOT_A_VALUE.has(parts[parts.length - 1]!)) return false;
  return parts.some(
    (part, i) =>
      SECRET_PARTS.has(part) ||
      SECRET_SUFFIX.test(part) ||
      (part === 'key' && i > 0 && KEY_QUALIFIERS.has(parts[i - 1]!)),
  );
}

/** Docker secrets are mounted under /run/secrets: a variable holding such a path points at one. */
const SECRET_MOUNT = /^\/(?:var\/)?run\/secrets\//;

/** A value worth reporting: not empty, not a placeholder, not a path to a mounted secret. */
export function isSecretValue(value: string): boolean {
  const trimmed = value.trim();
  return trimmed !== '' && !isPlaceholder(trimmed) && !SECRET_MOUNT.test(trimmed);
}

export function isSecretAssignment(name: string, value: string): boolean {
  return looksSecretName(name) && isSecretValue(value);
}

const ASSIGNMENT =
  /(^|[\s|])([A-Za-z_][A-Za-z0-9_.-]{0,255})=("[^"]{0,4096}"|'[^']{0,4096}'|[^\s"']{1,4096})/g;
const QUOTES = /^["']|["']$/g;
const PREFIX = /(?:^|\s)\|\d{1,4}\s/;
const PREFIX_HEAD = /^\|(\d{1,4})\s/;

/** Every pattern of this module, for the linear-time check in the tests. */
export const REDACTION_PATTERNS: readonly RegExp[] = [
  SECRET_SUFFIX,
  CAMEL,
  SEPARATOR,
  SECRET_MOUNT,
  ASSIGNMENT,
  QUOTES,
  PREFIX,
  PREFIX_HEAD,
];

/**
 * A `created_by` safe to put in a finding: URL user-info and query strings, and the values of
 * secret-looking `NAME=value` words, become `***`. Values with spaces lose their first word only
 * (see history.ts); the first `|N` prefix is read as pairs so that its values are masked whole.
 */
export function redactCreatedBy(createdBy: string): string {
  const text = maskUrls(createdBy).replace(ASSIGNMENT, (whole, lead: string, name: string, value: string) =>
    looksSecretName(name) && isSecretValue(value.replace(QUOTES, '')) ? `${lead}${name}=***` : whole,
  );
  return maskPrefixPairs(text);
}

const isUrlEnd = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '"' || c === "'" || c === '`';

/**
 * `scheme://user:pw@host/p?q#f` → `scheme://***@host/p?***` (query and fragment go together). A scan, not a regex: each
 * character is looked at a bounded number of times however many `://` a line holds.
 */
export function maskUrls(text: string): string {
  let out = '';
  let done = 0;
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', done)) {
    const start = at + 3;
    let end = start;
    while (end < text.length && !isUrlEnd(text[end]!)) end++;
    out += text.slice(done, start) + maskUrlRest(text.slice(start, end));
    done = end;
  }
  return done === 0 ? text : out + text.slice(done);
}

function maskUrlRest(rest: string): string {
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const userEnd = authority.lastIndexOf('@');
  const masked = userEnd < 0 ? rest : `***${rest.slice(userEnd)}`;
  const query = masked.indexOf('?');
  return query < 0 ? masked : `${masked.slice(0, query + 1)}***`;
}

/** `|2 A=x y B=z /bin/sh -c …`: masks the rest of a multi-word secret value too. */
function maskPrefixPairs(text: string): string {
  const at = text.search(PREFIX);
  if (at < 0) return text;
  const start = text.indexOf('|', at);
  const head = PREFIX_HEAD.exec(text.slice(start))!;
  const body = text.slice(start + head[0].length);
  const { pairs, rest } = readPairs(body, Number(head[1]));
  const masked = pairs.map((p) =>
    looksSecretName(p.name) && p.value.startsWith('***') ? `${p.name}=***` : `${p.name}=${p.value}`,
  );
  return `${text.slice(0, start)}${head[0]}${[...masked, rest].filter((s) => s !== '').join(' ')}`;
}
