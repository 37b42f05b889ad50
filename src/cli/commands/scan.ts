import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Command } from 'commander';
import { AssayError, errorMessage } from '../../model/errors.js';
import type { ImageResult, ScanDocument, Severity } from '../../model/result.js';
import { SCAN_SCHEMA_VERSION, severities } from '../../model/values.js';
import { defaultDbDir } from '../../paths.js';
import type { ReportFormat } from '../../report/writer.js';
import type { ExceptionSource, ScanOptions } from '../../scan/scan.js';
import { addImageOptions, optionSource, resolveImageOptions } from '../common.js';
import { type OptionSource, resolveOption, resolveString } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { Progress, useColor, writeOut } from '../output.js';
import { type PullSettings, scanDbUpdate } from './db-options.js';
import { addContentOptions, CONTENT_HELP, resolveContentOptions } from './scan-content.js';

const HELP = `
IMAGE is any image source (see \`assay --help\`) or sbom:PATH, a CycloneDX or SPDX JSON SBOM
(from assay sbom, Trivy or Syft). Several images are scanned independently, --concurrency at a
time; one that cannot be scanned is reported with its status and never hides the others.

Output: the --format document (default table) on stdout; with --output_file, the --format
document goes to the file, and without --format the file gets the JSON result document while
the table goes to stdout. Progress goes to stderr on a terminal only.

Exit codes: 0 every image scanned and none FAILs; 1 (or --exit-code N) an image FAILs;
2 usage error or an image not fully scanned (status other than scanned); 3 results could
not be delivered to --apiurl (unless 2 applies).

Vulnerability DB: with a repository (--db-repository, ASSAY_DB_REPOSITORY or config key
db-repository: an https:// URL of \`assay db publish\` output, a manager's /api/v1/db/metadata,
oci://REF or a path), a DB missing or older than --db-max-age hours is pulled first; if that
fails, an existing DB is used with a warning (its age is in the result's database.ageHours) and
no DB at all is an error. --offline and --skip-db-update never download a DB. The --token goes
only to the --apiurl origin (the manager), never to another repository.

Options, env vars and config keys: flags > env (ASSAY_<NAME>, e.g. ASSAY_WARN_THRESHOLD,
ASSAY_API_URL, ASSAY_TOKEN; CC_ aliases) > config file ($HOME/.assay.yaml or --config; keys =
long option names) > defaults.

Examples:
  assay scan registry:debian:12
  assay scan -w 4 -f 7 -o results.json registry:alpine:3.20 docker-archive:app.tar
  assay scan --format sarif -o scan.sarif sbom:app.cdx.json
  assay scan -i images.json -a https://assay.example.com -t "$TOKEN"
  assay scan --db-repository oci://ghcr.io/acme/assay-db:latest registry:debian:12`;

export function registerScanCommand(program: Command): void {
  addContentOptions(
    addImageOptions(program.command('scan').argument('[images...]', 'images to scan, or sbom:PATH')),
  )
    .description('catalog images, match known vulnerabilities, grade PASS/WARN/FAIL by CVSS v3 and report')
    .option('-a, --apiurl <url>', 'send each image result to the Assay manager at URL')
    .option('-t, --token <token>', 'API token for --apiurl (prefer ASSAY_TOKEN)')
    .option('-w, --warn_threshold <score>', 'WARN at this CVSS v3 score or above (default 4.0)')
    .option('-f, --fail_threshold <score>', 'FAIL at this CVSS v3 score or above (default 7.0)')
    .option('-i, --input_file <file>', 'JSON file {"images": [IMAGE, …]}, added to the IMAGE arguments')
    .option('-o, --output_file <file>', 'write the report to FILE (JSON unless --format says otherwise)')
    .option('--format <format>', 'table, json, sarif, cyclonedx-json (cyclonedx), spdx-json or csv')
    .option('--csv-mode <mode>', 'csv rows: image (one per image) or image_cve (one per image and CVE)')
    .option('--severity <list>', 'keep only findings of these bands: critical,high,medium,low,none,unknown')
    .option('--ignore-unfixed', 'drop findings that have no fixed version')
    .option('--ignore-file <file>', 'exceptions, OpenVEX or .trivyignore file (repeatable)', collect, [])
    .option('--exit-code <n>', 'exit code when an image FAILs (default 1)')
    .option('--offline', 'never touch the network except the image registry (no DB update)')
    .option(
      '--db-repository <source>',
      'pull the DB from here when missing or stale (repeatable)',
      collect,
      [],
    )
    .option('--db-public-key <file>', 'Ed25519 public key the pulled DB metadata must be signed with')
    .option('--db-max-age <hours>', 'update the DB from --db-repository when older than this (default 24)')
    .option('--skip-db-update', 'never update the DB before scanning')
    .option('--concurrency <n>', 'images scanned in parallel (default 2)')
    .addHelpText('after', `${HELP}\n${CONTENT_HELP}`)
    .action(async (images: string[], _opts: unknown, cmd: Command) => {
      process.exitCode = await runScan(images, cmd);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface ScanSettings {
  inputs: string[];
  format?: ReportFormat;
  csvMode: 'image' | 'image_cve';
  outputFile?: string;
  exitCode: number;
  concurrency: number;
  apiUrl?: string;
  token?: string;
  dbDir: string;
  /** Set when the DB may be updated from a repository before the scan. */
  dbUpdate?: { pull: PullSettings; maxAgeHours: number };
  scan: Omit<ScanOptions, 'db'>;
}

async function runScan(images: string[], cmd: Command): Promise<number> {
  const settings = await resolveSettings(images, cmd);
  if (settings.dbUpdate) {
    const { autoUpdateDb } = await import('./db-pull.js');
    await autoUpdateDb(settings.dbDir, settings.dbUpdate.pull, settings.dbUpdate.maxAgeHours);
  }
  const [{ VulnDb, dbFilePath }, { scanImages }, { emptyDbReader }] = await Promise.all([
    import('../../vulndb/store.js'),
    import('../../scan/scan.js'),
    import('../../vulndb/reader.js'),
  ]);
  // Content-only scans (no `vuln` in --scanners) need no vulnerability data: no DB is fine.
  const contentOnly = !(settings.scan.scanners ?? []).includes('vuln');
  const db =
    contentOnly && !existsSync(dbFilePath(settings.dbDir)) ? emptyDbReader : VulnDb.open(settings.dbDir);
  const progress = new Progress();
  const reporter = settings.apiUrl ? await startReporter(settings.apiUrl, settings.token) : undefined;
  let results: ImageResult[];
  try {
    results = await scanImages(
      settings.inputs,
      { ...settings.scan, db, onProgress: (input, text) => progress.update(`${input}: ${text}`) },
      { concurrency: settings.concurrency, ...(reporter ? { onResult: reporter.send } : {}) },
    );
  } finally {
    progress.done();
    if (db instanceof VulnDb) db.close();
    await Promise.all((settings.scan.content?.engines ?? []).map((e) => e.close()));
  }
  const doc: ScanDocument = { schemaVersion: SCAN_SCHEMA_VERSION, images: results };
  // The local report is written before waiting for the manager, so a manager that is down
  // (retrying for a while) never costs the pipeline its --output_file.
  await writeOutputs(doc, settings);
  for (const r of results)
    if (r.status !== 'scanned') process.stderr.write(`assay: ${r.input}: ${r.status}: ${r.statusMessage}\n`);
  const delivered = reporter ? await reporter.settled() : true;
  return exitCode(results, settings.exitCode, delivered);
}

function exitCode(results: readonly ImageResult[], failCode: number, delivered: boolean): number {
  if (results.some((r) => r.status !== 'scanned')) return EXIT.usageOrScanError;
  if (!delivered) return EXIT.notDelivered;
  return results.some((r) => r.result === 'FAIL') ? failCode : EXIT.ok;
}

/**
 * Sends each result to the manager as soon as its image is scanned (issue 7 "CLI reporting"),
 * so a long run's first results are visible early; `settled` says whether all arrived.
 */
async function startReporter(
  apiUrl: string,
  token: string | undefined,
): Promise<{ send: (r: ImageResult) => void; settled: () => Promise<boolean> }> {
  const { deliverResult } = await import('../../scan/deliver.js');
  const pending: Promise<boolean>[] = [];
  const send = (r: ImageResult) => {
    pending.push(
      deliverResult(r, { apiUrl, ...(token ? { token } : {}) }).then((sent) => {
        if (!sent.ok)
          process.stderr.write(`assay: ${r.input}: result not delivered to the manager: ${sent.reason}\n`);
        return sent.ok;
      }),
    );
  };
  return { send, settled: async () => (await Promise.all(pending)).every(Boolean) };
}

async function writeOutputs(doc: ScanDocument, s: ScanSettings): Promise<void> {
  const { writeReport } = await import('../../report/writer.js');
  const stdoutOpts = {
    color: useColor(process.stdout),
    csvMode: s.csvMode,
    ...(process.stdout.isTTY && process.stdout.columns ? { width: process.stdout.columns } : {}),
  };
  if (!s.outputFile) {
    await writeOut(process.stdout, writeReport(s.format ?? 'table', doc, stdoutOpts));
    return;
  }
  const text = writeReport(s.format ?? 'json', doc, { color: false, csvMode: s.csvMode });
  try {
    await writeFile(s.outputFile, text);
  } catch (err) {
    throw new AssayError('usage', `--output_file ${s.outputFile}: cannot write: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  if (!s.format) await writeOut(process.stdout, writeReport('table', doc, stdoutOpts));
}

/** Every option by the one precedence rule, validated before anything is scanned (usage errors exit 2). */
async function resolveSettings(images: string[], cmd: Command): Promise<ScanSettings> {
  const src = optionSource(cmd);
  const str = (k: string) => resolveString(src, k);
  const [{ parseThresholds }, { parseReportFormat, parseCsvMode }, { readInputFile }] = await Promise.all([
    import('../../match/grade.js'),
    import('../../report/writer.js'),
    import('../../scan/input-file.js'),
  ]);
  const thresholds = parseThresholds(str('warnThreshold'), str('failThreshold'));
  const formatText = str('format');
  const inputFile = str('inputFile');
  const inputs = [...images, ...(inputFile ? await readInputFile(inputFile) : [])];
  if (inputs.length === 0)
    throw new AssayError('usage', 'no images to scan: give IMAGE arguments or --input_file FILE');
  const apiUrl = str('apiurl');
  if (apiUrl && isTrue(resolveOption(src, 'offline')))
    throw new AssayError('usage', '--offline forbids sending results to --apiurl: drop one of them');
  const image = resolveImageOptions(cmd);
  const content = await resolveContentOptions(src, image.source.spoolDir ?? tmpdir());
  const scan: Omit<ScanOptions, 'db'> = {
    source: image.source,
    cache: image.cache,
    ...content,
    thresholds,
    filters: {
      severity: parseSeverities(str('severity')),
      ignoreUnfixed: isTrue(resolveOption(src, 'ignoreUnfixed')),
    },
    exceptions: await loadExceptions(src),
  };
  const settings: ScanSettings = {
    inputs,
    csvMode: parseCsvMode(str('csvMode') ?? 'image'),
    exitCode: integerOption(str('exitCode'), '--exit-code', 0, 255) ?? EXIT.failGrade,
    concurrency: integerOption(str('concurrency'), '--concurrency', 1, 64) ?? 2,
    dbDir: str('vulnerabilityDbPath') ?? defaultDbDir(),
    scan,
  };
  if (formatText) settings.format = parseReportFormat(formatText);
  const outputFile = str('outputFile');
  if (outputFile) settings.outputFile = outputFile;
  if (apiUrl) settings.apiUrl = checkUrl(apiUrl);
  const token = str('token');
  if (token) settings.token = token;
  const dbUpdate = scanDbUpdate(src);
  if (dbUpdate) settings.dbUpdate = dbUpdate;
  return settings;
}

async function loadExceptions(src: OptionSource): Promise<ExceptionSource[]> {
  const raw = resolveOption(src, 'ignoreFile');
  const paths = (Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [])
    .map((p) => p.trim())
    .filter(Boolean);
  const { loadIgnoreFileDetailed } = await import('../../match/ignore-file.js');
  const out: ExceptionSource[] = [];
  for (const path of paths) {
    const loaded = await loadIgnoreFileDetailed(path);
    for (const w of loaded.warnings) process.stderr.write(`assay: warning: ${path}: ${w}\n`);
    out.push({ path, source: loaded.source, entries: loaded.entries });
  }
  return out;
}

function parseSeverities(text: string | undefined): Severity[] | undefined {
  if (!text) return undefined;
  const list = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const s of list)
    if (!(severities as readonly string[]).includes(s))
      throw new AssayError(
        'usage',
        `--severity: unknown band ${JSON.stringify(s)}; use ${severities.join(',')}`,
      );
  return list as Severity[];
}

function integerOption(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AssayError(
      'usage',
      `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  return n;
}

/** Booleans from flags (true), env (`1`, `true`, `yes`) or YAML (true). */
function isTrue(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AssayError('usage', `--apiurl must be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AssayError('usage', `--apiurl must be an http(s) URL, got ${JSON.stringify(text)}`);
  return text;
}
