/**
 * `--secret-config FILE` (YAML or JSON; YAML is a superset, so one parser reads both):
 *
 *   disable-rules: [jwt, twilio-account-sid]
 *   allow-paths: ['usr/share/doc/**', '**\/*.md']
 *   rules:
 *     - {id: acme-key, regex: 'acme_[a-z0-9]{32}', severity: high, keywords: [acme_], category: Acme}
 *   show-suppressed: true
 *
 * Every error is an `invalid-input` naming the file and the field. A custom regex must compile
 * and pass the same linear-time check as the built-in rules.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AssayError, errorMessage } from '../../model/errors.js';
import { compileGlob } from './glob.js';
import { checkRegexSafety } from './regex-safety.js';
import { builtinRules, type Rule } from './rules.js';

const RULE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const CustomRuleSchema = z
  .object({
    id: z.string().regex(RULE_ID, 'must be lower-case letters, digits and dashes'),
    regex: z.string().min(1).max(4096),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
    keywords: z.array(z.string().min(1).max(64)).min(1, 'needs at least one keyword (the prefilter)'),
    category: z.string().min(1).max(64).optional(),
    title: z.string().min(1).max(200).optional(),
    'case-insensitive': z.boolean().optional(),
  })
  .strict();

const SecretConfigSchema = z
  .object({
    'disable-rules': z.array(z.string()).default([]),
    'allow-paths': z.array(z.string().min(1).max(1024)).default([]),
    rules: z.array(CustomRuleSchema).default([]),
    'show-suppressed': z.boolean().default(false),
  })
  .strict();

export interface SecretConfig {
  /** Built-ins minus the disabled ones, then the custom rules. */
  rules: Rule[];
  disabledRules: string[];
  allowPaths: string[];
  showSuppressed: boolean;
  /** True when a path is covered by `allow-paths` (the caller then skips the file). */
  isAllowedPath(path: string): boolean;
}

export const defaultSecretConfig: SecretConfig = buildConfig([], [], [], false);

function fail(file: string, where: string, message: string): never {
  throw new AssayError('invalid-input', `secret config ${file}: ${where}: ${message}`);
}

export function parseSecretConfig(file: string, text: string): SecretConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new AssayError(
      'invalid-input',
      `secret config ${file}: not valid YAML or JSON: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  const parsed = SecretConfigSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? '';
    fail(file, where.replace(/^\./, '') || '(document)', issue?.message ?? 'invalid');
  }
  const cfg = parsed.data;
  const known = new Set<string>(builtinRules.map((r) => r.id));
  cfg['disable-rules'].forEach((id, i) => {
    if (!known.has(id)) fail(file, `disable-rules[${i}]`, `unknown rule '${id}'`);
  });
  const custom = cfg.rules.map((r, i): Rule => {
    const where = `rules[${i}]`;
    if (known.has(r.id)) fail(file, `${where}.id`, `'${r.id}' is already a rule id`);
    known.add(r.id);
    const flags = r['case-insensitive'] ? 'gi' : 'g';
    const check = checkRegexSafety(r.regex, flags);
    if (!check.ok) fail(file, `${where}.regex`, check.reason);
    return {
      id: r.id,
      category: r.category ?? 'Custom',
      title: r.title ?? r.id,
      severity: r.severity,
      keywords: r.keywords.map((k) => k.toLowerCase()),
      regex: new RegExp(r.regex, flags),
    };
  });
  cfg['allow-paths'].forEach((glob, i) => {
    if (/\*{3,}/.test(glob)) fail(file, `allow-paths[${i}]`, `'${glob}' has more than two '*' in a row`);
  });
  return buildConfig(cfg['disable-rules'], cfg['allow-paths'], custom, cfg['show-suppressed']);
}

export async function readSecretConfig(file: string): Promise<SecretConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AssayError('invalid-input', `secret config ${file}: cannot read: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  return parseSecretConfig(file, text);
}

function buildConfig(
  disabled: string[],
  allowPaths: string[],
  custom: Rule[],
  showSuppressed: boolean,
): SecretConfig {
  const off = new Set(disabled);
  const globs = allowPaths.map(compileGlob);
  return {
    rules: [...builtinRules.filter((r) => !off.has(r.id)), ...custom],
    disabledRules: disabled,
    allowPaths,
    showSuppressed,
    isAllowedPath: (path) => globs.some((matches) => matches(path)),
  };
}
