/**
 * One transport's pull figures for db-distribution.bench.ts: a verified pull into a fresh DB
 * dir (fetch and verify + unpack + swap apart), the unchanged check in-process (median of
 * UNCHANGED_RUNS) and through the built CLI as a user runs it (median of CLI_RUNS).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pullDb } from '../src/vulndb/distribution/pull.js';
import { type PullOptions, parseDbRepository } from '../src/vulndb/distribution/types.js';
import { timeCommandAsync } from './db-distribution-servers.js';
import { median, record, sec, timed, times } from './db-distribution-table.js';
import { assayCommand } from './lib/assay-cli.js';
import type { CpuTimed } from './lib/cpu-time.js';

export const PULL_GOAL = 5;
export const UNCHANGED_GOAL = 0.2;
const UNCHANGED_RUNS = 10;
const CLI_RUNS = 5;

export interface PullContext {
  /** The bench's work directory: each pull gets a fresh DB dir in it. */
  work: string;
  /** The published bundle digest every pull must end with. */
  expected: string;
  /** `gzip -dc` of the bundle: the decompression floor. */
  gunzip: number;
  /** The CLI children's environment (HOME of their own). */
  env: NodeJS.ProcessEnv;
  /** `assay --version` and `node -e 0`: the CLI's start-up floors. */
  startup: { version: number; node: number };
}

export interface Transport {
  label: string;
  /** `--from` as a user writes it. */
  from: string;
  opts?: Omit<PullOptions, 'dbDir'>;
  /** Extra CLI arguments (credentials, the manager's -a/-t). */
  cliArgs?: string;
  /** The transport's raw download of the bundle (curl), when there is one. */
  download?: number;
}

/** All three figures of one transport; returns its DB dir. */
export async function measureTransport(ctx: PullContext, t: Transport): Promise<string> {
  const dbDir = join(ctx.work, `pull-${t.label.replace(/\W+/g, '-')}`);
  await firstPull(ctx, t, dbDir);
  const repo = parseDbRepository(t.from);
  const checks: number[] = [];
  for (let i = 0; i < UNCHANGED_RUNS; i++) {
    const r = await timed(() => pullDb([repo], { ...t.opts, dbDir }));
    if (r.out.status !== 'unchanged') throw new Error(`${t.label}: a second pull was ${r.out.status}`);
    checks.push(r.seconds);
  }
  const m = median(checks);
  record({
    measure: `unchanged check in-process, ${t.label} (median of ${UNCHANGED_RUNS})`,
    value: `${sec(m)} (max ${sec(Math.max(...checks))})`,
    goal: `< ${UNCHANGED_GOAL} s`,
    met: m < UNCHANGED_GOAL,
  });
  await cliUnchanged(ctx, t, dbDir);
  return dbDir;
}

async function firstPull(ctx: PullContext, t: Transport, dbDir: string): Promise<void> {
  // The last progress callback ends the download: the rest is verify + unpack + swap.
  let lastProgress = 0;
  const onProgress = () => {
    lastProgress = performance.now();
  };
  const t0 = performance.now();
  const first = await timed(() => pullDb([parseDbRepository(t.from)], { ...t.opts, dbDir, onProgress }));
  const got = first.out;
  if (got.status !== 'updated' || got.metadata.bundle.digest !== ctx.expected)
    throw new Error(
      `${t.label}: pulled ${got.status} ${got.metadata.bundle.digest}, expected ${ctx.expected}`,
    );
  const fetched = lastProgress > 0 ? (lastProgress - t0) / 1000 : Number.NaN;
  const floor = (t.download ?? 0) + ctx.gunzip;
  const raw = t.download === undefined ? '' : `raw download ${sec(t.download)} + `;
  record({
    measure: `pull + verify + swap, ${t.label}`,
    value: `${sec(first.seconds)} (fetch ${sec(fetched)}, verify + unpack + swap ${sec(first.seconds - fetched)})`,
    reference: `${raw}gzip -dc ${sec(ctx.gunzip)}`,
    ratio: times(first.seconds, floor),
    goal: `< ${PULL_GOAL} s`,
    met: first.seconds < PULL_GOAL,
  });
}

/** `assay db update --from …` as a user runs it (built bin, child process), median wall time. */
async function cliUnchanged(ctx: PullContext, t: Transport, dbDir: string): Promise<void> {
  const cmd = `${assayCommand()} db update --from ${t.from} ${t.cliArgs ?? ''} -p ${dbDir} --format json`;
  // One untimed run first that must say so: a timed run that pulled again would be the wrong figure.
  const { stdout } = await promisify(execFile)('sh', ['-c', cmd], { env: ctx.env });
  if (!stdout.includes('"unchanged"'))
    throw new Error(`${t.label}: the CLI did not report unchanged: ${stdout}`);
  const runs: CpuTimed[] = [];
  for (let i = 0; i < CLI_RUNS; i++) runs.push(await timeCommandAsync(cmd, ctx.env));
  const m = median(runs.map((r) => r.seconds));
  record({
    measure: `unchanged check via CLI, ${t.label} (median of ${CLI_RUNS})`,
    value: `${sec(m)} (CPU ${sec(median(runs.map((r) => r.cpuSeconds)))})`,
    reference: `assay --version ${sec(ctx.startup.version)} (node -e 0 ${sec(ctx.startup.node)})`,
    ratio: times(m, ctx.startup.version),
    goal: `< ${UNCHANGED_GOAL} s`,
    met: m < UNCHANGED_GOAL,
  });
}
