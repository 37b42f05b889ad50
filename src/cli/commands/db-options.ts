import type { Command } from 'commander';
import { AssayError } from '../../model/errors.js';
import { defaultDbDir } from '../../paths.js';
import { addConfigOption, optionSource } from '../common.js';
import { type OptionSource, resolveOption, resolveString } from '../config.js';

/** The options every `assay db` subcommand takes. */
export function withDbPath(cmd: Command): Command {
  return addConfigOption(cmd).option(
    '-p, --vulnerability_db_path <dir>',
    'vulnerability DB directory (default: ~/.cache/assay/db)',
  );
}

/** The DB directory by precedence: flag, ASSAY_VULNERABILITY_DB_PATH, config file, default. */
export function dbDir(cmd: Command, env: NodeJS.ProcessEnv = process.env): string {
  return resolveString(optionSource(cmd, env), 'vulnerabilityDbPath') ?? defaultDbDir(env);
}

/** A flag's list, an env var's comma list, or a config file's string or list. */
export function listValue(v: unknown): string[] {
  const items = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  return items
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** How a scanner pulls a ready-built DB: shared by `db update --from` and `scan`'s auto-update. */
export interface PullSettings {
  /** Tried in order, as the user wrote them. */
  repositories: string[];
  /** Path of the Ed25519 public key the metadata's signature must verify with. */
  publicKeyFile?: string;
  /** The manager's origin and token: the token is sent there and nowhere else. */
  auth?: { origin: string; token: string };
  insecureRegistries: string[];
  /** `--username/--password` for oci:// sources (`db update` only; else the docker config). */
  credentials?: { username?: string; password?: string };
}

/**
 * The repositories and key by precedence. `db update` names them `--from`/`--public-key`, `scan`
 * `--db-repository`/`--db-public-key`; env (ASSAY_DB_REPOSITORY, comma-separated;
 * ASSAY_DB_PUBLIC_KEY) and config keys (`db-repository`, a string or a list; `db-public-key`) are
 * shared, so one config file serves both commands.
 */
export function pullSettings(
  src: OptionSource,
  flags: { repository: string; publicKey: string },
): PullSettings {
  const repositories = listValue(
    src.fromCli(flags.repository) ? src.flags[flags.repository] : resolveOption(src, 'dbRepository'),
  );
  const publicKeyFile = src.fromCli(flags.publicKey)
    ? resolveString(src, flags.publicKey)
    : resolveString(src, 'dbPublicKey');
  const settings: PullSettings = {
    repositories,
    insecureRegistries: listValue(resolveOption(src, 'insecureRegistry')),
  };
  if (publicKeyFile) settings.publicKeyFile = publicKeyFile;
  const apiUrl = resolveString(src, 'apiurl');
  const token = resolveString(src, 'token');
  if (apiUrl && token) settings.auth = { origin: originOf(apiUrl), token };
  return settings;
}

function originOf(apiUrl: string): string {
  try {
    const url = new URL(apiUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // reported below
  }
  throw new AssayError('usage', `--apiurl must be an http(s) URL, got ${JSON.stringify(apiUrl)}`);
}

/** `scan`'s DB update settings; undefined with --offline, --skip-db-update or no repository. */
export function scanDbUpdate(src: OptionSource): { pull: PullSettings; maxAgeHours: number } | undefined {
  const text = resolveString(src, 'dbMaxAge') ?? '24';
  const maxAgeHours = Number(text);
  if (!Number.isFinite(maxAgeHours) || maxAgeHours < 0)
    throw new AssayError('usage', `--db-max-age must be a number of hours ≥ 0, got ${JSON.stringify(text)}`);
  if (isTrue(resolveOption(src, 'offline')) || isTrue(resolveOption(src, 'skipDbUpdate'))) return undefined;
  const pull = pullSettings(src, { repository: 'dbRepository', publicKey: 'dbPublicKey' });
  return pull.repositories.length > 0 ? { pull, maxAgeHours } : undefined;
}

/** Booleans from flags (true), env (`1`, `true`, `yes`, `on`) or YAML (true). */
function isTrue(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}
