/**
 * `assay db import PATH…`: local feed files into the DB for offline sites, each path in its own
 * transaction inside one build, so a bad path never costs the others; bundles from
 * `db export` replace the whole DB.
 */
import type { Command } from 'commander';
import { AssayError, errorMessage } from '../../model/errors.js';
import type { DbBuilder, ImportFileResult } from '../../vulndb/build.js';
import { type ImporterId, type ImportIssue, importerIds } from '../../vulndb/importer.js';
import { EXIT } from '../exit-codes.js';
import { formatTable, writeOut } from '../output.js';
import { dbDir, withDbPath } from './db-options.js';

/** Issues printed per `db import` run; the rest are counted. */
const MAX_PRINTED_ISSUES = 20;

export function registerDbImport(db: Command): void {
  withDbPath(
    db
      .command('import')
      .argument('<path...>', 'feed files, directories or archives, or a bundle from `assay db export`')
      .description('import local feed files into the DB (offline sites); the format is detected'),
  )
    .option('--format <importer>', `force the importer: ${importerIds.join(', ')}`)
    .addHelpText(
      'after',
      `
Formats: OSV JSON (a record, a directory, or an ecosystem's all.zip), Debian security tracker
JSON, Alpine secdb JSON, NVD CVE API 2.0 JSON, CVE JSON 5 (file, directory or tar.gz), FIRST
EPSS CSV (.csv or .csv.gz), CISA KEV JSON, SHA-256 threat deny-lists (.txt, .csv, .sha256 or
.hashes: hash lines or CSV with a sha256 column; scans check files against them), and bundles
written by \`assay db export\`, which replace the whole DB (bundles are applied first, then the
other paths on top).
A path that fails is reported and the others are still imported (exit 2).`,
    )
    .action(async (paths: string[], _opts: unknown, cmd: Command) => {
      const format = cmd.opts().format;
      if (format !== undefined && !(importerIds as readonly string[]).includes(format))
        throw new AssayError('usage', `--format must be one of ${importerIds.join(', ')}, got ${format}`);
      process.exitCode = await runImport(dbDir(cmd), paths, format as ImporterId | undefined);
    });
}

interface ImportRow {
  path: string;
  result?: ImportFileResult;
  bundle?: string;
  error?: string;
}

/** Thrown inside buildDb when no path could be imported: the DB in use stays as it was. */
class NothingImported extends Error {}

async function runImport(dir: string, paths: string[], format: ImporterId | undefined): Promise<number> {
  const issues = new IssuePrinter();
  const bundles: string[] = [];
  const feeds: string[] = [];
  const rows: ImportRow[] = [];
  // Loaded here, not at start-up: the DB, the importers and their archive readers are heavy.
  const { isBundleHead } = await import('../../vulndb/bundle.js');
  const { readHead } = await import('../../vulndb/detect.js');
  const { buildDb } = await import('../../vulndb/build.js');
  const { dbFilePath } = await import('../../vulndb/store.js');
  for (const p of paths) {
    try {
      if (!format && isBundleHead(await readHead(p))) bundles.push(p);
      else feeds.push(p);
    } catch (err) {
      rows.push(failed(p, err));
    }
  }
  try {
    await buildDb(dir, async (b) => {
      if (b.startedFrom === 'replaced-unusable')
        process.stderr.write(
          `warning: ${dbFilePath(dir)} was unreadable or of another schema: starting empty\n`,
        );
      for (const p of bundles) rows.push(await importBundle(b, p, dir));
      for (const p of feeds) rows.push(await importFeed(b, p, format, issues));
      if (!rows.some((r) => r.error === undefined)) throw new NothingImported();
    });
  } catch (err) {
    if (!(err instanceof NothingImported)) throw err;
  }
  issues.finish();
  await writeOut(process.stdout, importTable(rows));
  return rows.some((r) => r.error !== undefined) ? EXIT.usageOrScanError : EXIT.ok;
}

function failed(path: string, err: unknown): ImportRow {
  process.stderr.write(`assay: ${errorMessage(err)}\n`);
  return { path, error: errorMessage(err) };
}

async function importBundle(b: DbBuilder, path: string, dir: string): Promise<ImportRow> {
  try {
    const { extractBundle } = await import('../../vulndb/bundle.js');
    const { dbFilePath } = await import('../../vulndb/store.js');
    const { file, metadata } = await extractBundle(path, dbFilePath(dir));
    b.replaceWith(file);
    return { path, bundle: `${metadata.sources.length} sources, built ${metadata.builtAt ?? '?'}` };
  } catch (err) {
    return failed(path, err);
  }
}

async function importFeed(
  b: DbBuilder,
  path: string,
  format: ImporterId | undefined,
  issues: IssuePrinter,
): Promise<ImportRow> {
  try {
    const opts = { onIssue: (i: ImportIssue) => issues.print(i), ...(format ? { importer: format } : {}) };
    return { path, result: await b.importFile(path, opts) };
  } catch (err) {
    return failed(path, err);
  }
}

function importTable(rows: readonly ImportRow[]): string {
  const table = [['PATH', 'IMPORTER', 'RECORDS', 'SKIPPED', 'SOURCE']];
  for (const r of rows) {
    if (r.result)
      table.push([
        r.path,
        r.result.importer,
        r.result.records.toLocaleString('en-US'),
        String(r.result.skipped),
        r.result.sourceId,
      ]);
    else if (r.bundle) table.push([r.path, 'bundle', '-', '-', `whole DB replaced (${r.bundle})`]);
    else table.push([r.path, 'FAILED', '-', '-', r.error ?? '']);
  }
  return `${formatTable(table)}\n`;
}

/** Record-level issues on stderr, the first few in full, the rest counted. */
class IssuePrinter {
  private count = 0;

  print(i: ImportIssue): void {
    this.count++;
    if (this.count <= MAX_PRINTED_ISSUES)
      process.stderr.write(`issue: ${i.file}${i.record ? ` ${i.record}` : ''}: ${i.message}\n`);
  }

  finish(): void {
    if (this.count > MAX_PRINTED_ISSUES)
      process.stderr.write(`… and ${this.count - MAX_PRINTED_ISSUES} more issues\n`);
  }
}
