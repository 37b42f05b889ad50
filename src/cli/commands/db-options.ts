import type { Command } from 'commander';
import { defaultDbDir } from '../../paths.js';
import { addConfigOption, optionSource } from '../common.js';
import { resolveString } from '../config.js';

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
