import type { Command } from 'commander';
import { AssayError } from '../../model/errors.js';
import { closeOnSignals, openConfiguredStore, startServer } from '../../server/main.js';
import { createToken } from '../../server/services/tokens.js';
import { type Role, roles } from '../../server/store/tokens-repo.js';
import { addConfigOption, optionSource } from '../common.js';
import { resolveString } from '../config.js';

const isRole = (s: string): s is Role => roles.some((r) => r === s);

function withStoreOptions(cmd: Command): Command {
  return addConfigOption(cmd)
    .option('--database <url>', 'PostgreSQL URL (postgres://…); default: the embedded store in --data-dir')
    .option(
      '--data-dir <dir>',
      'embedded store directory (default: $XDG_DATA_HOME/assay or ~/.local/share/assay)',
    );
}

function storeOptions(cmd: Command): { database?: string; dataDir?: string } {
  const src = optionSource(cmd);
  const database = resolveString(src, 'database');
  const dataDir = resolveString(src, 'dataDir');
  return { ...(database ? { database } : {}), ...(dataDir ? { dataDir } : {}) };
}

/** `assay server`: run the manager (HTTP API) and manage its tokens. */
export function registerServerCommand(program: Command): void {
  const server = withStoreOptions(
    program
      .command('server')
      .description('run the manager: receive scan results, grade, except, filter and export (HTTP API)'),
  )
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8080')
    .option('--log', 'write structured JSON request logs to stdout')
    .action(async (_opts: unknown, cmd: Command) => {
      const src = optionSource(cmd);
      const listen = resolveString(src, 'listen');
      const running = await startServer({
        ...storeOptions(cmd),
        ...(listen ? { listen } : {}),
        log: resolveString(src, 'log') === 'true',
      });
      process.stdout.write(
        `assay manager listening on ${running.url} (API: ${running.url}/api/v1, OpenAPI: ${running.url}/openapi.json)\n`,
      );
      if (running.firstAdminToken)
        process.stdout.write(
          `first admin token (shown only now, store it safely):\n  ${running.firstAdminToken}\n`,
        );
      await closeOnSignals(running);
    });
  registerTokenCommand(server);
}

/** `assay server token create`: works on the store directly (the server must not hold a PGlite directory). */
function registerTokenCommand(server: Command): void {
  const token = server.command('token').description('manage API tokens');
  withStoreOptions(token.command('create').description('create a token and print it (shown only once)'))
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .option('--name <name>', 'what the token is for', 'cli')
    .action(async (_opts: unknown, cmd: Command) => {
      const src = optionSource(cmd);
      const role = resolveString(src, 'role') ?? '';
      if (!isRole(role))
        throw new AssayError('usage', `--role must be one of ${roles.join(', ')}, got ${role}`);
      const store = await openConfiguredStore(storeOptions(cmd));
      try {
        const { token: value, info } = await createToken(store, role, resolveString(src, 'name') ?? 'cli');
        process.stdout.write(`${value}\n`);
        process.stderr.write(`created ${info.role} token "${info.name}" (id ${info.id})\n`);
      } finally {
        await store.close();
      }
    });
}
