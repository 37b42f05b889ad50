/**
 * The bodies of `assay db status|search|export`, loaded only when one of them runs: the DB,
 * its search and bundle code (better-sqlite3, tar, the CVSS calculator) stay out of every other
 * command's start-up.
 */
import type { Command } from 'commander';
import { AssayError } from '../../model/errors.js';
import { exportBundle } from '../../vulndb/bundle.js';
import { searchId, searchPackage } from '../../vulndb/search.js';
import { dbFilePath, VulnDb } from '../../vulndb/store.js';
import { optionSource } from '../common.js';
import { resolveString } from '../config.js';
import { formatBytes, writeOut } from '../output.js';
import { dbDir } from './db-options.js';
import { idReportText, packageText, statusReport, statusText } from './db-render.js';

function openDb(cmd: Command): VulnDb {
  return VulnDb.open(dbDir(cmd));
}

export async function runStatus(cmd: Command): Promise<void> {
  const maxAge = Number(resolveString(optionSource(cmd), 'maxAge') ?? '24');
  if (!Number.isFinite(maxAge) || maxAge <= 0)
    throw new AssayError('usage', `--max-age must be a positive number of hours, got ${cmd.opts().maxAge}`);
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
}

export async function runSearch(id: string | undefined, cmd: Command): Promise<void> {
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

export async function runExport(file: string, cmd: Command): Promise<void> {
  const r = await exportBundle(dbFilePath(dbDir(cmd)), file);
  process.stderr.write(
    `wrote ${file} (${formatBytes(r.bytes)}, ${r.metadata.sources.length} sources, built ${r.metadata.builtAt ?? '?'})\n`,
  );
}
