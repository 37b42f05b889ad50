import type { Command } from 'commander';
import { AssayError } from '../../model/errors.js';
import { exportBundle } from '../../vulndb/bundle.js';
import { searchId, searchPackage } from '../../vulndb/search.js';
import { dbFilePath, VulnDb } from '../../vulndb/store.js';
import { optionSource } from '../common.js';
import { resolveString } from '../config.js';
import { formatBytes, writeOut } from '../output.js';
import { registerDbImport } from './db-import.js';
import { dbDir, withDbPath } from './db-options.js';
import { idReportText, packageText, statusReport, statusText } from './db-render.js';
import { registerDbUpdateCommand } from './db-update.js';

/** `assay db …`: build, update, import, inspect and search the local vulnerability DB. */
export function registerDbCommands(program: Command): void {
  const db = program
    .command('db')
    .description('build, update, import and query the local vulnerability database');
  registerDbUpdateCommand(db);
  registerDbImport(db);
  registerStatus(db);
  registerSearch(db);
  registerExport(db);
}

function openDb(cmd: Command): VulnDb {
  return VulnDb.open(dbDir(cmd));
}

function registerStatus(db: Command): void {
  withDbPath(
    db.command('status').description('print the DB location, build time and per-source counts and age'),
  )
    .option('--json', 'print JSON')
    .option('--max-age <hours>', 'warn when the DB is older than this', '24')
    .action(async (_opts: unknown, cmd: Command) => {
      const maxAge = Number(resolveString(optionSource(cmd), 'maxAge') ?? '24');
      if (!Number.isFinite(maxAge) || maxAge <= 0)
        throw new AssayError(
          'usage',
          `--max-age must be a positive number of hours, got ${cmd.opts().maxAge}`,
        );
      const db = openDb(cmd);
      let report: ReturnType<typeof statusReport>;
      try {
        report = statusReport(db.path, db.info(), maxAge);
      } finally {
        db.close();
      }
      await writeOut(
        process.stdout,
        cmd.opts().json ? `${JSON.stringify(report, null, 2)}\n` : statusText(report),
      );
      if (report.stale)
        process.stderr.write(
          `warning: DB is ${report.ageHours === undefined ? 'of unknown age' : `${Math.floor(report.ageHours)} h old`} (limit ${maxAge} h): run \`assay db update\`\n`,
        );
    });
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
    .action(async (id: string | undefined, _opts: unknown, cmd: Command) => {
      const o = cmd.opts();
      const name = typeof o.package === 'string' ? o.package : undefined;
      if ((id === undefined) === (name === undefined))
        throw new AssayError('usage', 'give either a vulnerability id or --package NAME');
      if (name === undefined && (o.ecosystem !== undefined || o.version !== undefined))
        throw new AssayError('usage', '--ecosystem and --version go with --package');
      const reader = openDb(cmd);
      try {
        const text =
          name === undefined ? idSearch(reader, id ?? '', o.json === true) : packageSearch(reader, name, o);
        await writeOut(process.stdout, text);
      } finally {
        reader.close();
      }
    });
}

function idSearch(db: VulnDb, id: string, json: boolean): string {
  const report = searchId(db, id.trim());
  const empty = report.advisories.length === 0 && report.cvss.length === 0 && !report.epss && !report.kev;
  if (json) return `${JSON.stringify(empty ? [] : [report], null, 2)}\n`;
  return empty ? `no records for ${id}\n` : idReportText(report);
}

function packageSearch(db: VulnDb, name: string, o: Record<string, unknown>): string {
  const query = { name, ...pick(o, 'ecosystem'), ...pick(o, 'version') };
  const rows = searchPackage(db, query);
  if (o.json === true) return `${JSON.stringify(rows, null, 2)}\n`;
  if (rows.length === 0)
    return `no records for package ${name}${query.ecosystem ? ` in ${query.ecosystem}` : ''}\n`;
  return packageText(rows, query.version !== undefined);
}

function pick<K extends string>(o: Record<string, unknown>, key: K): Partial<Record<K, string>> {
  const v = o[key];
  return typeof v === 'string' ? ({ [key]: v } as Partial<Record<K, string>>) : {};
}

function registerExport(db: Command): void {
  withDbPath(
    db
      .command('export')
      .argument('<file>', 'the bundle to write (.tar.gz)')
      .description('write the DB as a portable bundle for `assay db import` on an offline machine'),
  ).action(async (file: string, _opts: unknown, cmd: Command) => {
    const r = await exportBundle(dbFilePath(dbDir(cmd)), file);
    process.stderr.write(
      `wrote ${file} (${formatBytes(r.bytes)}, ${r.metadata.sources.length} sources, built ${r.metadata.builtAt ?? '?'})\n`,
    );
  });
}
