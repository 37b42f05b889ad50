import type { Command } from 'commander';
import { registerDbImport } from './db-import.js';
import { withDbPath } from './db-options.js';
import { registerDbPublish } from './db-publish.js';
import { registerDbUpdateCommand } from './db-update.js';

/** `assay db …`: build, update, import, inspect and search the local vulnerability DB. */
export function registerDbCommands(program: Command): void {
  const db = program
    .command('db')
    .description('build, update, import, query and publish the local vulnerability database');
  registerDbUpdateCommand(db);
  registerDbImport(db);
  registerStatus(db);
  registerSearch(db);
  registerExport(db);
  registerDbPublish(db);
}

function registerStatus(db: Command): void {
  withDbPath(
    db.command('status').description('print the DB location, build time and per-source counts and age'),
  )
    .option('--json', 'print JSON')
    .option('--max-age <hours>', 'warn when the DB is older than this', '24')
    .action(async (_opts: unknown, cmd: Command) => (await import('./db-actions.js')).runStatus(cmd));
}

function registerSearch(db: Command): void {
  withDbPath(
    db
      .command('search')
      .argument('[id]', 'a vulnerability id: CVE-…, GHSA-…, GO-…, DSA-…')
      .description('print what the DB knows about a vulnerability id, or about a package (--package)'),
  )
    .option('--package <name>', 'search by package name instead of by id')
    .option(
      '--ecosystem <ecosystem>',
      'with --package: only this namespace (Debian:12, npm…) or base (Debian)',
    )
    .option('--version <version>', 'with --package: say whether this version is affected')
    .option('--json', 'print JSON (an array: one report per id, or one entry per affected record)')
    .addHelpText(
      'after',
      '\nExamples:\n  assay db search CVE-2024-3094\n  assay db search --package requests --ecosystem PyPI --version 2.31.0',
    )
    .action(async (id: string | undefined, _opts: unknown, cmd: Command) =>
      (await import('./db-actions.js')).runSearch(id, cmd),
    );
}

function registerExport(db: Command): void {
  withDbPath(
    db
      .command('export')
      .argument('<file>', 'the bundle to write (.tar.gz)')
      .description('write the DB as a portable bundle for `assay db import` on an offline machine'),
  )
    .addHelpText(
      'after',
      '\nTo serve the DB to other scanners use `assay db publish DIR` (bundle + metadata.json for an\nHTTP server) or `assay db push oci://REGISTRY/REPO:TAG`.\n\nExample:\n  assay db export assay-db.tar.gz && scp assay-db.tar.gz airgap: && ssh airgap assay db import assay-db.tar.gz',
    )
    .action(async (file: string, _opts: unknown, cmd: Command) =>
      (await import('./db-actions.js')).runExport(file, cmd),
    );
}
