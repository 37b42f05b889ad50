/**
 * Options shared by every command that reads an image, resolved by the one precedence rule
 * (flags > env > config file > default) and validated here, so modules get typed values.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { LayerCache } from '../image/cache/layer-cache.js';
import { parsePlatform } from '../image/platform.js';
import type { SourceOptions } from '../image/source.js';
import type { Platform } from '../image/types.js';
import { AssayError } from '../model/errors.js';
import { cacheDirFor, defaultDbDir } from '../paths.js';
import { loadConfigFile, normalizeKey, type OptionSource, resolveOption, resolveString } from './config.js';

export function addConfigOption(cmd: Command): Command {
  return cmd.option('--config <file>', 'config file (YAML, keys = long option names)', undefined);
}

export function addImageOptions(cmd: Command): Command {
  return addConfigOption(cmd)
    .option(
      '--platform <os/arch[/variant]>',
      'platform to pick from a multi-platform image (default: this host)',
    )
    .option(
      '--insecure-registry <host>',
      'allow plain HTTP and self-signed TLS for this registry (repeatable)',
      collect,
      [],
    )
    .option('--username <user>', 'registry user name (else ~/.docker/config.json)')
    .option('--password <password>', 'registry password or token (prefer the env var ASSAY_PASSWORD)')
    .option('--timeout <seconds>', 'per-request network timeout', '60')
    .option(
      '-p, --vulnerability_db_path <dir>',
      'vulnerability DB directory (also --vulnerability-db-path); the layer cache is its sibling "cache"',
    )
    .option('--cache-dir <dir>', 'layer cache directory (default: <db path>/../cache)')
    .option('--no-cache', 'neither read nor write the layer cache');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export interface ImageCommandOptions {
  source: SourceOptions;
  cacheDir: string;
  cache: LayerCache;
}

/** The precedence-aware view of a command's options. */
export function optionSource(cmd: Command, env: NodeJS.ProcessEnv = process.env): OptionSource {
  const raw = cmd.opts();
  const flags: Record<string, unknown> = {};
  const original = new Map<string, string>();
  for (const [k, v] of Object.entries(raw)) {
    flags[normalizeKey(k)] = v;
    original.set(normalizeKey(k), k);
  }
  const file = loadConfigFile(typeof raw.config === 'string' ? raw.config : undefined, env);
  return { flags, fromCli: (k) => cmd.getOptionValueSource(original.get(k) ?? k) === 'cli', env, file };
}

export function resolveImageOptions(cmd: Command, env: NodeJS.ProcessEnv = process.env): ImageCommandOptions {
  const src = optionSource(cmd, env);
  const str = (k: string) => resolveString(src, k);
  const platformText = str('platform');
  const platform: Platform | undefined = platformText ? parsePlatform(platformText) : undefined;
  const timeout = Number(str('timeout') ?? '60');
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new AssayError('usage', `--timeout must be a positive number of seconds, got ${str('timeout')}`);
  const insecure = resolveOption(src, 'insecureRegistry');
  const insecureRegistries = (
    Array.isArray(insecure) ? insecure : typeof insecure === 'string' ? insecure.split(',') : []
  )
    .map(String)
    .filter(Boolean);
  const dbDir = str('vulnerabilityDbPath') ?? defaultDbDir(env);
  const cacheDir = str('cacheDir') ?? cacheDirFor(dbDir);
  const cacheEnabled = resolveOption(src, 'cache') !== false && str('cache') !== 'false';
  const source: SourceOptions = {
    insecureRegistries,
    spoolDir: join(cacheDir, 'tmp'),
    timeoutMs: timeout * 1000,
    env,
  };
  if (platform) source.platform = platform;
  const username = str('username');
  const password = str('password');
  if (username) source.username = username;
  if (password) source.password = password;
  return { source, cacheDir, cache: new LayerCache(cacheDir, { enabled: cacheEnabled }) };
}

/** Only the cache location options (for `assay cache`). */
export function resolveCacheOptions(
  cmd: Command,
  env: NodeJS.ProcessEnv = process.env,
): { cacheDir: string; cache: LayerCache } {
  const src = optionSource(cmd, env);
  const str = (k: string) => resolveString(src, k);
  const cacheDir = str('cacheDir') ?? cacheDirFor(str('vulnerabilityDbPath') ?? defaultDbDir(env));
  return { cacheDir, cache: new LayerCache(cacheDir) };
}
