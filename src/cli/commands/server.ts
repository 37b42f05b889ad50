import type { Command } from 'commander';
import { AssayError } from '../../model/errors.js';
import { ApiError } from '../../server/errors.js';
import type { Store } from '../../server/store/store.js';
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
    .option(
      '--db-path <dir>',
      'vulnerability DB served to scanners at /api/v1/db/* (default: ~/.cache/assay/db, where `assay db update` writes)',
    )
    .option('--db-sign-key <file>', 'sign the served DB metadata with this Ed25519 key (`assay db keygen`)')
    .action(async (_opts: unknown, cmd: Command) => {
      const src = optionSource(cmd);
      const listen = resolveString(src, 'listen');
      const dbPath = resolveString(src, 'dbPath');
      const signKey = resolveString(src, 'dbSignKey');
      // The server, its store drivers (pg, PGlite) and fastify load only when a server starts.
      const { closeOnSignals, startServer } = await import('../../server/main.js');
      const { loadPrivateKeyFile } = await import('../../vulndb/distribution/sign.js');
      const running = await startServer({
        ...storeOptions(cmd),
        ...(listen ? { listen } : {}),
        log: resolveString(src, 'log') === 'true',
        ...(dbPath ? { dbPath } : {}),
        ...(signKey ? { dbSigningKeyPem: await loadPrivateKeyFile(signKey) } : {}),
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

/**
 * `assay server token create|list|revoke`: work on the store directly (for PGlite the server must
 * not be holding the data directory; with PostgreSQL they work beside a running server).
 */
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
      const { openConfiguredStore } = await import('../../server/main.js');
      const { createToken } = await import('../../server/services/tokens.js');
      const store = await openConfiguredStore(storeOptions(cmd));
      try {
        const { token: value, info } = await createToken(store, role, resolveString(src, 'name') ?? 'cli');
        process.stdout.write(`${value}\n`);
        process.stderr.write(`created ${info.role} token "${info.name}" (id ${info.id})\n`);
      } finally {
        await store.close();
      }
    });
  withStoreOptions(
    token.command('list').description('list tokens: id, role, name, created, last used (never the values)'),
  ).action(async (_opts: unknown, cmd: Command) => {
    await withStore(cmd, async (store) => {
      const rows = (await store.tokens.list()).map((t) => [
        String(t.id),
        t.role,
        t.name,
        t.createdAt,
        t.lastUsedAt ?? 'never',
      ]);
      process.stdout.write(columns([['ID', 'ROLE', 'NAME', 'CREATED', 'LAST USED'], ...rows]));
    });
  });
  withStoreOptions(
    token
      .command('revoke')
      .argument('<id>', 'the token id (from `assay server token list`)')
      .description('revoke a token: requests with it are refused from now on'),
  ).action(async (idText: string, _opts: unknown, cmd: Command) => {
    const id = Number(idText);
    if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647)
      throw new AssayError('usage', `token id must be a whole number ≥ 1, got ${JSON.stringify(idText)}`);
    await withStore(cmd, async (store) => {
      try {
        const { revokeToken } = await import('../../server/services/tokens.js');
        const info = await revokeToken(store, id);
        process.stderr.write(`revoked ${info.role} token "${info.name}" (id ${info.id})\n`);
      } catch (err) {
        // The service speaks HTTP statuses; here an unknown id or the last admin is the user's to fix.
        if (err instanceof ApiError) throw new AssayError('usage', err.message, { cause: err });
        throw err;
      }
    });
  });
}

async function withStore(cmd: Command, fn: (store: Store) => Promise<void>): Promise<void> {
  const { openConfiguredStore } = await import('../../server/main.js');
  const store = await openConfiguredStore(storeOptions(cmd));
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

/** Left-aligned columns separated by two spaces. */
function columns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map(
      (r) =>
        `${r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}
