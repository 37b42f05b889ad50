import type { Command } from 'commander';
import { AssayError } from '../../model/errors.js';
import { defaultDbDir } from '../../paths.js';
import type { SourceOutcome, UpdateEvent, UpdateSummary } from '../../vulndb/update/outcome.js';
import { UpdateFailedError } from '../../vulndb/update/outcome.js';
import { parseSourceUrl, resolveSources } from '../../vulndb/update/sources.js';
import { addConfigOption, optionSource } from '../common.js';
import { type OptionSource, resolveOption, resolveString } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { formatBytes, formatTable, Progress, type Styler, styler, useColor, writeOut } from '../output.js';
import { collect, listValue, pullSettings } from './db-options.js';

const HELP = `
Two ways to update:
  1. Pull a ready-built DB (seconds): --from SOURCE, or ASSAY_DB_REPOSITORY (comma-separated),
     or config key db-repository (a string or a list). Sources are tried in order:
       https://HOST/PATH/           a directory written by \`assay db publish\` (metadata.json)
       https://MANAGER/api/v1/db/metadata   an Assay manager (with -a MANAGER -t TOKEN)
       oci://REGISTRY/REPO:TAG      pushed by \`assay db push\` (docker config / helpers for auth)
       ./assay-db.tar.gz or ./DIR   a bundle file or a published directory
     An unchanged DB costs one small request; the new DB is verified (digest, schema, and the
     signature with --public-key / ASSAY_DB_PUBLIC_KEY / db-public-key) before it replaces the
     old one, which stays in use on any failure. The token (-t, ASSAY_TOKEN) is sent only to the
     origin of -a/--apiurl (ASSAY_API_URL).
  2. Build it from the feeds (minutes to hours): the default without a repository, or whenever
     --source, --mirror or --source-url is given.

Examples:
  assay db update --from https://mirror.example.com/assay-db/ --from oci://ghcr.io/acme/assay-db:latest
  assay db update --from https://assay.example.com/api/v1/db/metadata -a https://assay.example.com -t "$TOKEN"
  assay db update --source osv:PyPI,nvd

Sources (--source takes a name or a group; default: all):
  osv                 OSV all.zip per ecosystem: osv:Debian, osv:Ubuntu, osv:Alpine, osv:Wolfi,
                      osv:Chainguard, "osv:Rocky Linux", osv:AlmaLinux, "osv:Red Hat", osv:SUSE,
                      osv:openSUSE, osv:PyPI, osv:npm, osv:Go, osv:Maven, osv:RubyGems,
                      osv:crates.io, osv:NuGet, osv:Packagist
  debian-tracker      Debian security tracker JSON
  alpine-secdb        alpine-secdb:v3.12/main … alpine-secdb:v3.22/community (404 = skipped)
  nvd                 NVD CVE API 2.0, incremental after the first run (NVD_API_KEY: 10x the rate)
  epss                FIRST EPSS scores
  kev                 CISA Known Exploited Vulnerabilities

Mirror layout (--mirror BASE):
  BASE/osv/<Ecosystem>/all.zip          BASE/debian/tracker.json
  BASE/alpine/v3.NN/<main|community>.json
  BASE/epss/epss_scores-current.csv.gz  BASE/kev/known_exploited_vulnerabilities.json
  BASE/nvd/cves/2.0                     an NVD-API-compatible endpoint (honours startIndex)

Environment: ASSAY_SOURCE, ASSAY_MIRROR, ASSAY_SOURCE_URL (NAME=URL,…), NVD_API_KEY
(or ASSAY_NVD_API_KEY), ASSAY_VULNERABILITY_DB_PATH. Exit: 0 all updated or unchanged,
2 when a source failed (the others still land; a failed source keeps its old data) or when no
repository could be pulled from (the DB in use is left as it was).`;

/** `assay db update`: pull a ready-built DB, or download every feed and import it, atomically. */
export function registerDbUpdateCommand(db: Command): void {
  addConfigOption(
    db
      .command('update')
      .description(
        'pull a ready-built DB (--from) or build it from the vulnerability feeds (swapped in only when verified)',
      ),
  )
    .option(
      '--from <source>',
      'pull a published DB from URL, FILE or oci://REF (repeatable, tried in order)',
      collect,
      [],
    )
    .option('--public-key <file>', 'with --from: the Ed25519 public key the DB metadata must be signed with')
    .option('-a, --apiurl <url>', 'with --from: the Assay manager that gets the token')
    .option('-t, --token <token>', 'with --from: API token for --apiurl (prefer ASSAY_TOKEN)')
    .option(
      '--insecure-registry <host>',
      'with --from oci://: allow plain HTTP for this registry',
      collect,
      [],
    )
    .option('--username <user>', 'with --from oci://: registry user name (else ~/.docker/config.json)')
    .option('--password <password>', 'with --from oci://: registry password (prefer ASSAY_PASSWORD)')
    .option(
      '--source <name>',
      'source or group to update (repeatable, or a comma list; default: all)',
      collect,
      [],
    )
    .option('--mirror <url>', 'fetch every source from this base URL (layout below)')
    .option('--source-url <name=url>', 'fetch one source from this URL (repeatable)', collect, [])
    .option('-p, --vulnerability_db_path <dir>', 'vulnerability DB directory (default: ~/.cache/assay/db)')
    .option('--format <format>', 'summary on stdout: table or json', 'table')
    .addHelpText('after', HELP)
    .action(async (_opts: unknown, cmd: Command) => {
      process.exitCode = await runUpdate(cmd);
    });
}

async function runUpdate(cmd: Command, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const src = optionSource(cmd, env);
  const dir = resolveString(src, 'vulnerabilityDbPath') ?? defaultDbDir(env);
  const format = resolveString(src, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new AssayError('usage', `--format must be table or json, got ${JSON.stringify(format)}`);
  const pull = pullSettings(src, { repository: 'from', publicKey: 'publicKey' });
  const [username, password] = [resolveString(src, 'username'), resolveString(src, 'password')];
  if (username || password)
    pull.credentials = { ...(username ? { username } : {}), ...(password ? { password } : {}) };
  const feedFlags = ['source', 'mirror', 'sourceUrl'].filter((k) => src.fromCli(k));
  if (src.fromCli('from') && feedFlags.length > 0)
    throw new AssayError(
      'usage',
      '--from pulls a ready-built DB: it does not go with --source, --mirror or --source-url',
    );
  // Feed flags typed on the command line win over a repository from env or config.
  if (pull.repositories.length > 0 && feedFlags.length === 0)
    return (await import('./db-pull.js')).runPull(dir, pull, format);
  const render = (s: UpdateSummary) =>
    format === 'json' ? `${JSON.stringify(s, null, 2)}\n` : summaryTable(s.sources);
  const selection = {
    select: listOption(src, 'source'),
    mirror: resolveString(src, 'mirror'),
    sourceUrls: sourceUrls(src),
  };
  // Resolved here too, so a typo is a usage error before the lock and the DB copy.
  const count = resolveSources(selection).length;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const reporter = new UpdateReporter(process.stderr, useColor(process.stderr, env), count);
  let summary: UpdateSummary;
  try {
    // Loaded here: the updater brings the DB, every importer and their archive readers.
    const { updateDb } = await import('../../vulndb/update/update.js');
    summary = await updateDb(dir, {
      sources: selection.select,
      mirror: selection.mirror,
      sourceUrls: selection.sourceUrls,
      env,
      signal: controller.signal,
      onEvent: (e) => reporter.event(e),
    });
  } catch (err) {
    if (!(err instanceof UpdateFailedError)) throw err;
    reporter.finish();
    await writeOut(process.stdout, render(err.summary));
    process.stderr.write(`assay: ${err.message}\n`);
    return EXIT.usageOrScanError;
  } finally {
    process.removeListener('SIGINT', onSigint);
    reporter.finish();
  }
  await writeOut(process.stdout, render(summary));
  process.stderr.write(`${closingLine(summary)}\n`);
  return summary.sources.some((s) => s.status === 'failed') ? EXIT.usageOrScanError : EXIT.ok;
}

/** A flag's list, an env var's comma list, or a config file's string or list. */
function listOption(src: OptionSource, key: string): string[] {
  return listValue(resolveOption(src, key));
}

/** `--source-url NAME=URL…`, `ASSAY_SOURCE_URL=NAME=URL,…`, or a config mapping `source-url: {NAME: URL}`. */
function sourceUrls(src: OptionSource): Record<string, string> {
  const v = resolveOption(src, 'sourceUrl');
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, u]) => [k, String(u)]));
  }
  const out: Record<string, string> = {};
  for (const item of listOption(src, 'sourceUrl')) {
    const [name, url] = parseSourceUrl(item);
    out[name] = url;
  }
  return out;
}

function summaryTable(rows: readonly SourceOutcome[]): string {
  const table = [['SOURCE', 'STATUS', 'RECORDS', 'ISSUES', 'DOWNLOADED', 'TIME', 'NOTE']];
  for (const s of rows) {
    table.push([
      s.source,
      s.status,
      s.records.toLocaleString('en-US'),
      String(s.issues),
      formatBytes(s.bytes),
      `${s.seconds.toFixed(1)}s`,
      s.error ?? s.note ?? '',
    ]);
  }
  return `${formatTable(table)}\n`;
}

function closingLine(summary: UpdateSummary): string {
  const count = (status: SourceOutcome['status']) =>
    summary.sources.filter((s) => s.status === status).length;
  const parts = (['updated', 'unchanged', 'skipped', 'failed'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s}`);
  const what = summary.swapped ? 'updated' : 'unchanged';
  return `vulnerability DB ${what}: ${summary.dir} (${parts.join(', ')})`;
}

/** Turns update events into a progress line (TTY only) and messages that matter anyway. */
class UpdateReporter {
  private readonly progress: Progress;
  private readonly issues = new Map<string, number>();
  private readonly style: Styler;
  private done = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    color: boolean,
    private readonly total: number,
  ) {
    this.progress = new Progress(stream);
    this.style = styler(color);
  }

  event(e: UpdateEvent): void {
    if (e.kind === 'done') this.finishSource(e.outcome);
    else if (e.kind === 'wait')
      this.say(`${this.style.yellow('waiting')} ${Math.ceil(e.ms / 1000)} s: ${e.reason}`);
    else if (e.kind === 'warn') this.say(`${this.style.yellow('warning')}: ${e.source}: ${e.message}`);
    else if (e.kind === 'issue')
      this.issue(
        e.source,
        `${e.issue.file}${e.issue.record ? ` ${e.issue.record}` : ''}: ${e.issue.message}`,
      );
    else this.show(progressText(e));
  }

  finish(): void {
    this.progress.done();
  }

  private show(text: string): void {
    this.progress.update(`[${this.done}/${this.total}] ${text}`);
  }

  /** A line that stays: the progress line is cleared first and redrawn by the next event. */
  private say(text: string): void {
    this.progress.done();
    this.stream.write(`${text}\n`);
  }

  /** The first few skipped records per source; the count is in the summary. */
  private issue(source: string, text: string): void {
    const n = (this.issues.get(source) ?? 0) + 1;
    this.issues.set(source, n);
    if (n <= 3) this.say(`${this.style.dim('skipped')} ${source}: ${text}`);
    else if (n === 4)
      this.say(`${this.style.dim('skipped')} ${source}: more records (see ISSUES in the summary)`);
  }

  private finishSource(o: SourceOutcome): void {
    this.done++;
    if (o.status === 'failed') this.say(`${this.style.red('failed')} ${o.error ?? o.source}`);
    else if (this.progress.enabled) this.say(`${this.style.green(o.status.padEnd(9))} ${o.source}`);
  }
}

function progressText(e: Extract<UpdateEvent, { kind: 'start' | 'bytes' | 'importing' }>): string {
  if (e.kind === 'start') return `${e.source}: connecting to ${new URL(e.url).host}`;
  if (e.kind === 'importing') return `${e.source}: ${e.records.toLocaleString('en-US')} records`;
  return `${e.source}: downloading ${formatBytes(e.bytes)}${e.total ? ` of ${formatBytes(e.total)}` : ''}`;
}
