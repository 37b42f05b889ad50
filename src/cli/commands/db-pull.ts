/**
 * `assay db update --from …` (and `scan`'s automatic update): pull a ready-built DB instead of
 * building it from the feeds. Loaded only when a pull runs. Messages and a progress bar (on a
 * terminal) go to stderr; the outcome line or JSON to stdout.
 */
import { type PullOptions, type PullOutcome, parseDbRepository } from '../../vulndb/distribution/types.js';
import { formatBytes, Progress, writeOut } from '../output.js';
import type { PullSettings } from './db-options.js';

const REDRAW_MS = 100;
const BAR = 24;

/** Renders pull progress as one redrawn line; messages stay as lines of their own. */
export class PullReporter {
  private readonly progress: Progress;
  private lastDraw = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly prefix = '',
    private readonly verb = 'downloading',
  ) {
    this.progress = new Progress(stream);
  }

  readonly onProgress = (done: number, total: number | undefined): void => {
    if (!this.progress.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS && done !== total) return;
    this.lastDraw = now;
    this.progress.update(progressLine(done, total, this.verb));
  };

  readonly onMessage = (line: string): void => {
    this.progress.done();
    this.stream.write(`${this.prefix}${line}\n`);
  };

  finish(): void {
    this.progress.done();
  }
}

export function progressLine(done: number, total: number | undefined, verb = 'downloading'): string {
  if (!total) return `${verb} ${formatBytes(done)}`;
  const share = Math.min(1, done / total);
  const filled = Math.round(share * BAR);
  return `${verb} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${Math.floor(share * 100)}% ${formatBytes(done)} of ${formatBytes(total)}`;
}

/** "updated from SOURCE (12.3 MB in 1.4 s)" / "unchanged (SOURCE)". */
export function outcomeLine(o: PullOutcome, seconds: number): string {
  return o.status === 'updated'
    ? `updated from ${o.source} (${formatBytes(o.downloaded)} in ${seconds.toFixed(1)} s)`
    : `unchanged (${o.source})`;
}

/** The PullOptions of settings resolved from flags, env and config (reads the public key file). */
export async function pullOptions(
  dir: string,
  s: PullSettings,
  reporter: PullReporter,
  signal?: AbortSignal,
): Promise<PullOptions> {
  const opts: PullOptions = {
    dbDir: dir,
    insecureRegistries: s.insecureRegistries,
    onProgress: reporter.onProgress,
    onMessage: reporter.onMessage,
  };
  if (s.publicKeyFile) {
    const { loadPublicKeyFile } = await import('../../vulndb/distribution/sign.js');
    opts.publicKey = await loadPublicKeyFile(s.publicKeyFile);
  }
  if (s.auth) opts.auth = s.auth;
  if (s.credentials) opts.registryCredentials = s.credentials;
  if (signal) opts.signal = signal;
  return opts;
}

/** The body of `assay db update` when a repository is configured. */
export async function runPull(dir: string, s: PullSettings, format: 'table' | 'json'): Promise<number> {
  const reporter = new PullReporter();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const started = Date.now();
  let outcome: PullOutcome;
  try {
    const opts = await pullOptions(dir, s, reporter, controller.signal);
    const { pullDb } = await import('../../vulndb/distribution/pull.js');
    outcome = await pullDb(s.repositories.map(parseDbRepository), opts);
  } finally {
    process.removeListener('SIGINT', onSigint);
    reporter.finish();
  }
  const seconds = (Date.now() - started) / 1000;
  const text =
    format === 'json'
      ? `${JSON.stringify({ dir, ...outcome, seconds: Math.round(seconds * 1000) / 1000 }, null, 2)}\n`
      : `vulnerability DB ${outcomeLine(outcome, seconds)}\n`;
  await writeOut(process.stdout, text);
  return 0;
}

/** `scan`'s automatic update: pull when the DB is missing or too old; never fail a scan an old DB can serve. */
export async function autoUpdateDb(dir: string, s: PullSettings, maxAgeHours: number): Promise<void> {
  const reporter = new PullReporter(process.stderr, 'assay: DB update: ');
  const started = Date.now();
  let result: import('../../scan/db-freshness.js').FreshnessResult;
  try {
    const { ensureFreshDb } = await import('../../scan/db-freshness.js');
    result = await ensureFreshDb({
      repositories: s.repositories.map(parseDbRepository),
      maxAgeHours,
      pull: await pullOptions(dir, s, reporter),
    });
  } finally {
    reporter.finish();
  }
  const say = (line: string) => process.stderr.write(`assay: ${line}\n`);
  if (result.action === 'kept-old') {
    const age = result.ageHours === undefined ? 'of unknown age' : `${result.ageHours.toFixed(1)} h old`;
    say(`warning: ${result.reason}, and the update failed: ${result.error.replace(/:?\n\s*/g, ': ')}`);
    say(`warning: scanning with the DB in place, ${age}`);
    return;
  }
  if (result.action !== 'pulled') return;
  say(`vulnerability DB ${outcomeLine(result.outcome, (Date.now() - started) / 1000)}: ${result.reason}`);
  const builtAt = Date.parse(result.outcome.metadata.builtAt ?? '');
  const hours = (Date.now() - builtAt) / 3_600_000;
  if (Number.isFinite(hours) && hours > maxAgeHours)
    say(
      `warning: the newest DB ${result.outcome.source} offers is ${hours.toFixed(1)} h old (limit ${maxAgeHours} h)`,
    );
}
