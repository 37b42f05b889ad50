import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded store's data directory: `$XDG_DATA_HOME/assay` or `~/.local/share/assay`
 * (XDG Base Directory spec: https://specifications.freedesktop.org/basedir-spec/latest/ —
 * data that must survive, unlike the vulnerability DB under the cache directory).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'assay');
}
