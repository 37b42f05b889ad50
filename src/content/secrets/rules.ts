/**
 * The built-in secret rules.
 *
 * Linear-time discipline (every rule, checked by `checkRegexSafety` in the tests): every
 * repetition is bounded (`{20,40}`, never `*` or `+`), no quantifier sits inside another, no
 * alternation sits under a quantifier, no back-references. A backtracking engine then spends at
 * most a constant (the rule's maximum match length) per start position, so a line of n bytes
 * costs O(n) per rule, and a match is never longer than `maxMatchLength`, which lets the scanner
 * cut endless lines into overlapping windows. Input is decoded as latin1 (one byte = one char),
 * so every pattern is ASCII-only.
 *
 * Keywords are lower-case literals; a rule's regex runs only on lines containing one of them.
 * The secret is capture group 1 (the whole match when the rule has no group).
 */
import { hasValidGithubChecksum, isDockerAuth, isSignedJwt, looksRandom, privateKeyBody } from './verify.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface VerifyContext {
  /** Up to a few lines after the matched one (empty inside an over-long line). */
  following: readonly string[];
}

export interface Rule {
  readonly id: string;
  readonly category: string;
  readonly title: string;
  readonly severity: Severity;
  readonly keywords: readonly string[];
  /** Global flag required; group 1 is the secret. */
  readonly regex: RegExp;
  /**
   * Confirms a candidate and returns the value to fingerprint (usually the value itself), or
   * undefined to drop it as "not a secret" (a failed checksum is not a finding, not even a suppressed one).
   */
  readonly verify?: (value: string, ctx: VerifyContext) => string | undefined;
  /** Free-form assignments: placeholders and low-entropy values are suppressed. */
  readonly generic?: boolean;
  /** Only files whose path matches are scanned by this rule. */
  readonly paths?: RegExp;
}

const when =
  (test: (value: string) => boolean) =>
  (value: string): string | undefined =>
    test(value) ? value : undefined;

/** Printable ASCII except space and quotes: the characters an unquoted config value is made of. */
const VALUE = `[!#-&(-~]`;

/** Config-like files where `key = value` assignments are settings rather than code. */
const CONFIG_PATHS =
  /(?:^|\/)(?:\.env(?:\.[\w-]{1,20})?|[^/]{1,200}\.(?:env|ini|conf|cfg|cnf|properties|ya?ml|toml|json|xml|npmrc|pypirc|netrc|pgpass)|\.?(?:npmrc|pypirc|netrc|pgpass|git-credentials|credentials))$/;

export const builtinRules = [
  {
    id: 'aws-access-key-id',
    category: 'AWS',
    title: 'AWS access key ID',
    severity: 'critical',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
    regex: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g,
  },
  {
    id: 'aws-secret-access-key',
    category: 'AWS',
    title: 'AWS secret access key',
    severity: 'critical',
    keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret_key'],
    // Forty base64 characters only next to an AWS key name: alone they are any hash.
    regex:
      /(?:secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key)["']?\s{0,5}[:=]\s{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
  },
  {
    id: 'gcp-service-account-key',
    category: 'GCP',
    title: 'GCP service-account private key',
    severity: 'critical',
    keywords: ['"private_key"'],
    regex: /"private_key"\s{0,5}:\s{0,5}"(-----BEGIN (?:RSA )?PRIVATE KEY-----\\n[A-Za-z0-9+/]{40,64})/g,
  },
  {
    id: 'gcp-api-key',
    category: 'GCP',
    title: 'Google API key',
    severity: 'high',
    keywords: ['aiza'],
    regex: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
  },
  {
    id: 'azure-storage-account-key',
    category: 'Azure',
    title: 'Azure storage connection string',
    severity: 'critical',
    keywords: ['accountkey='],
    // https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string
    regex: /AccountKey=([A-Za-z0-9+/]{86}==)/gi,
  },
  {
    id: 'github-token',
    category: 'GitHub',
    title: 'GitHub token',
    severity: 'critical',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    regex: /\b(gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    verify: when(hasValidGithubChecksum),
  },
  {
    id: 'github-fine-grained-pat',
    category: 'GitHub',
    title: 'GitHub fine-grained personal access token',
    severity: 'critical',
    keywords: ['github_pat_'],
    regex: /\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g,
  },
  {
    id: 'gitlab-token',
    category: 'GitLab',
    title: 'GitLab personal access token',
    severity: 'critical',
    keywords: ['glpat-'],
    regex: /\b(glpat-[A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])/g,
  },
  {
    id: 'npm-token',
    category: 'npm',
    title: 'npm access token',
    severity: 'critical',
    keywords: ['npm_'],
    regex: /\b(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])/g,
  },
  {
    id: 'npmrc-auth',
    category: 'npm',
    title: 'npm registry credential in .npmrc',
    severity: 'high',
    keywords: ['_auth'],
    // https://docs.npmjs.com/cli/configuring-npm/npmrc#auth-related-configuration
    regex: new RegExp(`_auth(?:Token)?\\s{0,3}=\\s{0,3}["']?(${VALUE}{8,512})`, 'g'),
    generic: true,
    // npm and yarn config files only: `proxy_auth = …` in Python or Ruby code is not a credential.
    paths: /(?:^|\/)\.?(?:npmrc|yarnrc(?:\.yml)?)$/,
  },
  {
    id: 'docker-config-auth',
    category: 'Docker',
    title: 'Docker registry credential (config.json auths)',
    severity: 'high',
    keywords: ['"auth"'],
    regex: /"auth"\s{0,3}:\s{0,3}"([A-Za-z0-9+/]{8,1024}={0,2})"/g,
    verify: when(isDockerAuth),
  },
  {
    id: 'slack-token',
    category: 'Slack',
    title: 'Slack token',
    severity: 'high',
    keywords: ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-'],
    regex: /\b(xox[baprs]-[0-9A-Za-z-]{10,250})(?![0-9A-Za-z-])/g,
  },
  {
    id: 'stripe-secret-key',
    category: 'Stripe',
    title: 'Stripe live secret or restricted key',
    severity: 'critical',
    keywords: ['sk_live_', 'rk_live_'],
    regex: /\b([sr]k_live_[0-9A-Za-z]{24,99})(?![0-9A-Za-z])/g,
  },
  {
    id: 'sendgrid-api-key',
    category: 'SendGrid',
    title: 'SendGrid API key',
    severity: 'high',
    keywords: ['sg.'],
    regex: /\b(SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43})(?![0-9A-Za-z_-])/g,
  },
  {
    id: 'twilio-api-key',
    category: 'Twilio',
    title: 'Twilio API key SID',
    severity: 'high',
    // `sk`/`ac` alone occur in most lines of any text ("task", "back"): the prefilter would pass
    // nearly everything to these regexes. A Twilio credential is written next to its service name.
    keywords: ['twilio'],
    regex: /\b(SK[0-9a-f]{32})\b/g,
  },
  {
    id: 'twilio-account-sid',
    category: 'Twilio',
    title: 'Twilio account SID',
    severity: 'low',
    keywords: ['twilio'],
    regex: /\b(AC[0-9a-f]{32})\b/g,
  },
  {
    // Before openai-api-key: both match `sk-ant-…`, and the first rule to claim a span keeps it.
    id: 'anthropic-api-key',
    category: 'Anthropic',
    title: 'Anthropic API key',
    severity: 'critical',
    keywords: ['sk-ant-'],
    regex: /\b(sk-ant-[a-z]{3,8}[0-9]{2}-[A-Za-z0-9_-]{32,200})(?![A-Za-z0-9_-])/g,
  },
  {
    id: 'openai-api-key',
    category: 'OpenAI',
    title: 'OpenAI API key',
    severity: 'critical',
    keywords: ['sk-'],
    regex: /\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,200})(?![A-Za-z0-9_-])/g,
    verify: when(looksRandom),
  },
  {
    id: 'jwt',
    category: 'JWT',
    title: 'Signed JSON Web Token',
    severity: 'medium',
    keywords: ['eyj'],
    regex: /\b(eyJ[A-Za-z0-9_-]{5,2000}\.eyJ[A-Za-z0-9_-]{2,8000}\.[A-Za-z0-9_-]{16,2000})(?![A-Za-z0-9_-])/g,
    verify: when(isSignedJwt),
  },
  {
    id: 'private-key',
    category: 'Private key',
    title: 'Private key (PEM, OpenSSH or PGP)',
    severity: 'critical',
    keywords: ['private key'],
    // Public keys and certificates have other markers and never match.
    regex:
      /(-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----(?:\\r)?(?:\\n)?[A-Za-z0-9+/]{0,64})/g,
    verify: (value, ctx) => {
      const dashes = value.lastIndexOf('-----');
      const sameLine = value.slice(dashes + 5).replace(/^(?:\\r)?(?:\\n)?/, '');
      const body = privateKeyBody(sameLine, ctx.following);
      return body === undefined ? undefined : `${value.slice(0, dashes + 5)}${body}`;
    },
  },
  {
    id: 'url-credentials',
    category: 'Credentials',
    title: 'Password in a URL',
    severity: 'high',
    keywords: ['://'],
    // scheme://user:password@host — the user part cannot hold ':' and the password cannot hold '@'.
    regex: /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/@'"]{1,256}:([^\s/@'"]{1,256})@[A-Za-z0-9[]/g,
  },
  {
    id: 'generic-secret-assignment',
    category: 'Credentials',
    title: 'Password, secret or token assigned in a config file',
    severity: 'medium',
    keywords: ['password', 'passwd', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'api-key'],
    regex: new RegExp(
      `(?:password|passwd|pwd|secret|token|api[_-]?key)(?:[_-]?key)?["']?\\s{0,5}[:=]\\s{0,5}["']?(${VALUE}{8,256})`,
      'gi',
    ),
    generic: true,
    paths: CONFIG_PATHS,
  },
] as const satisfies readonly Rule[];

export type BuiltinRuleId = (typeof builtinRules)[number]['id'];

/** Longest text any built-in or accepted custom rule can match; sizes the window overlap. */
export const MAX_MATCH_LENGTH = 16 * 1024;
