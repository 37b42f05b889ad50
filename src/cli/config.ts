/**
 * Option precedence for every command: flags > environment (`ASSAY_<LONG_NAME>`, with `CC_`
 * aliases for the drop-in names) > config file (`--config FILE`, else `$HOME/.assay.yaml`,
 * keys = long option names) > built-in default.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AssayError, errorMessage } from '../model/errors.js';

export type ConfigValues = Record<string, unknown>;

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME ?? homedir(), '.assay.yaml');
}

/** Reads the config file; a missing default file is fine, a missing explicit one is an error. */
export function loadConfigFile(path: string | undefined, env: NodeJS.ProcessEnv = process.env): ConfigValues {
  const file = path ?? defaultConfigPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!path && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AssayError('usage', `cannot read config file ${file}: ${errorMessage(err)}`, { cause: err });
  }
  let doc: unknown;
  try {
    // Loaded only when a config file exists: the YAML parser is a tenth of a second of every start.
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    doc = parse(text);
  } catch (err) {
    throw new AssayError('usage', `config file ${file} is not valid YAML: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AssayError('usage', `config file ${file} must be a mapping of option names to values`);
  }
  const values: ConfigValues = {};
  for (const [k, v] of Object.entries(doc)) values[normalizeKey(k)] = v;
  return values;
}

/** `warn_threshold`, `warn-threshold` and `warnThreshold` name the same option. */
export function normalizeKey(key: string): string {
  return key.replace(/[-_]([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `warnThreshold` → `WARN_THRESHOLD`; `vulnerabilityDbPath` → `VULNERABILITY_DB_PATH`. */
export function envName(key: string): string {
  return key.replace(/([A-Z])/g, '_$1').toUpperCase();
}

/** The ASSAY_ names the architecture fixes for the drop-in options, which differ from envName(). */
const ENV_OVERRIDES: Record<string, string> = { apiurl: 'API_URL' };

export function envValue(key: string, env: NodeJS.ProcessEnv): string | undefined {
  const base = ENV_OVERRIDES[key] ?? envName(key);
  return env[`ASSAY_${base}`] ?? env[`CC_${base}`];
}

export interface OptionSource {
  /** Values commander parsed, keyed by camelCase name. */
  flags: Record<string, unknown>;
  /** Which keys the user actually typed (commander's getOptionValueSource === 'cli'). */
  fromCli: (key: string) => boolean;
  env: NodeJS.ProcessEnv;
  file: ConfigValues;
}

/** Resolves one option by precedence; returns undefined when nobody set it. */
export function resolveOption(src: OptionSource, key: string): unknown {
  if (src.fromCli(key)) return src.flags[key];
  const e = envValue(key, src.env);
  if (e !== undefined && e !== '') return e;
  if (key in src.file) return src.file[key];
  return src.flags[key];
}

export function resolveString(src: OptionSource, key: string): string | undefined {
  const v = resolveOption(src, key);
  return v === undefined || v === null || v === false ? undefined : String(v);
}

/**
 * The drop-in option names keep the snake_case spelling existing pipelines use; the kebab-case
 * spelling is accepted too, by rewriting it before commander parses argv.
 */
export const SNAKE_CASE_OPTIONS = [
  'warn_threshold',
  'fail_threshold',
  'vulnerability_db_path',
  'input_file',
  'output_file',
] as const;

export function normalizeArgv(argv: string[]): string[] {
  const kebab = new Map(SNAKE_CASE_OPTIONS.map((o) => [`--${o.replace(/_/g, '-')}`, `--${o}`]));
  const end = argv.indexOf('--');
  return argv.map((arg, i) => {
    if (end >= 0 && i > end) return arg;
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const snake = kebab.get(name);
    return snake ? snake + (eq < 0 ? '' : arg.slice(eq)) : arg;
  });
}
