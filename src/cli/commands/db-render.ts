/**
 * Text output of `assay db status` and `assay db search` (the JSON output is the report objects
 * themselves).
 */

import type { DbInfo } from '../../vulndb/reader.js';
import type { AffectedRow, IdReport } from '../../vulndb/search.js';
import { severityOf } from '../../vulndb/severity.js';
import type { SourceInfo } from '../../vulndb/types.js';
import { formatTable } from '../output.js';

export interface StatusReport {
  path: string;
  schemaVersion: number;
  builtAt?: string;
  /** Hours since `builtAt`, one decimal. */
  ageHours?: number;
  maxAgeHours: number;
  stale: boolean;
  sources: Array<SourceInfo & { ageHours: number }>;
}

const HOUR_MS = 3600_000;

function hoursSince(iso: string | undefined, now: number): number | undefined {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(t) ? (now - t) / HOUR_MS : undefined;
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

export function statusReport(
  path: string,
  info: DbInfo,
  maxAgeHours: number,
  now = Date.now(),
): StatusReport {
  const exact = hoursSince(info.builtAt, now);
  const ageHours = exact === undefined ? undefined : oneDecimal(exact);
  const report: StatusReport = {
    path,
    schemaVersion: info.schemaVersion,
    maxAgeHours,
    stale: exact === undefined || exact > maxAgeHours,
    sources: info.sources.map((s) => ({ ...s, ageHours: oneDecimal(hoursSince(s.importedAt, now) ?? -1) })),
  };
  if (info.builtAt) report.builtAt = info.builtAt;
  if (ageHours !== undefined) report.ageHours = ageHours;
  return report;
}

export function formatAge(hours: number | undefined): string {
  if (hours === undefined || hours < 0) return '?';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

export function statusText(r: StatusReport): string {
  const lines = [
    `path:           ${r.path}`,
    `schema version: ${r.schemaVersion}`,
    `built at:       ${r.builtAt ?? 'unknown'}${r.ageHours === undefined ? '' : ` (${formatAge(r.ageHours)} ago)`}`,
    '',
  ];
  if (r.sources.length === 0) return `${lines.join('\n')}no sources imported\n`;
  const rows = [['SOURCE', 'IMPORTER', 'RECORDS', 'ISSUES', 'IMPORTED AT', 'AGE', 'DATA DATE']];
  for (const s of r.sources)
    rows.push([
      s.id,
      s.importer,
      s.records.toLocaleString('en-US'),
      String(s.issues),
      s.importedAt,
      formatAge(s.ageHours),
      s.dataDate ?? '',
    ]);
  return `${lines.join('\n')}${formatTable(rows)}\n`;
}

function affectedTable(rows: readonly AffectedRow[], withVerdict: boolean): string {
  const head = ['FEED', 'ADVISORY', 'ECOSYSTEM', 'PACKAGE', 'STATUS', 'RANGES', 'FIXED'];
  const table = [withVerdict ? [...head, 'VERDICT'] : head];
  for (const a of rows) {
    const ranges = a.versions.length
      ? `${a.ranges}${a.ranges ? ' ' : ''}versions: ${a.versions.slice(0, 5).join(', ')}${a.versions.length > 5 ? ` (+${a.versions.length - 5} more)` : ''}`
      : a.ranges;
    const row = [a.feed, a.advisoryId, a.ecosystem, a.package, a.status, ranges, a.fixed ?? ''];
    table.push(withVerdict ? [...row, a.verdict ?? ''] : row);
  }
  return formatTable(table);
}

export function idReportText(r: IdReport): string {
  const out: string[] = [r.id, ''];
  out.push('ADVISORIES');
  for (const a of r.advisories) {
    const dates = [
      a.published && `published ${a.published}`,
      a.modified && `modified ${a.modified}`,
      a.withdrawn && `WITHDRAWN ${a.withdrawn}`,
    ].filter(Boolean);
    out.push(`  ${a.feed} ${a.id}${a.aliases.length ? ` (aliases: ${a.aliases.join(', ')})` : ''}`);
    if (dates.length) out.push(`    ${dates.join(', ')}`);
    if (a.summary) out.push(`    ${a.summary}`);
  }
  if (r.advisories.length === 0) out.push('  none');
  out.push('', 'CVSS (* = the score a scan reports)');
  if (r.cvss.length === 0) out.push('  none');
  else {
    const rows = [['', 'SOURCE', 'BY', 'FOR', 'VERSION', 'SCORE', 'SEVERITY', 'VECTOR']];
    for (const c of r.cvss)
      rows.push([
        c.chosen ? '*' : '',
        c.source,
        c.sourceName ?? '',
        c.vulnId,
        c.version,
        c.baseScore.toFixed(1),
        severityOf(c.baseScore),
        c.vector,
      ]);
    out.push(formatTable(rows));
  }
  out.push(
    '',
    r.epss
      ? `EPSS: ${r.epss.score} (percentile ${r.epss.percentile}${r.epss.date ? `, ${r.epss.date}` : ''})`
      : 'EPSS: none',
  );
  out.push(
    r.kev
      ? `KEV: added ${r.kev.dateAdded}${r.kev.dueDate ? `, due ${r.kev.dueDate}` : ''}, ransomware use ${r.kev.knownRansomwareCampaignUse ? 'known' : 'unknown'}`
      : 'KEV: not listed',
  );
  out.push('', 'AFFECTED');
  out.push(r.affected.length ? affectedTable(r.affected, false) : '  none');
  return `${out.join('\n')}\n`;
}

export function packageText(rows: readonly AffectedRow[], withVerdict: boolean): string {
  return `${affectedTable(rows, withVerdict)}\n`;
}
