/**
 * Queues files for `yara` and runs them in batches: each batch is a directory of numbered files
 * under the engine's work dir plus a list for `--scan-list`, removed when the process ends.
 * Every file gets its own outcome: hits, or the error yara printed for it.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AssayError, ioError, wrapError } from '../../model/errors.js';
import type { ContentHit } from '../types.js';
import { parseMatchLine, parseScanError, yaraHit } from './yara-output.js';
import { runTool, type ToolResult, type YaraTools } from './yara-process.js';

/** One process takes at most this many queued files… */
const BATCH_FILES = 256;
/** …and this many bytes (a bigger single file still goes alone). */
const BATCH_BYTES = 64 * 1024 * 1024;
/** Slack on top of the per-file timeouts before the whole process is killed. */
const WATCHDOG_SLACK_MS = 10_000;

interface Job {
  bytes: Buffer;
  done: boolean;
  resolve(hits: ContentHit[]): void;
  reject(err: Error): void;
}

export interface RunnerOptions {
  label: string;
  timeoutMs: number;
  concurrency: number;
}

export class YaraRunner {
  private readonly queue: Job[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly processes = new AbortController();
  private batches = 0;
  private closed = false;

  constructor(
    private readonly tools: YaraTools,
    private readonly opts: RunnerOptions,
  ) {}

  scan(bytes: Buffer, signal?: AbortSignal): Promise<ContentHit[]> {
    if (this.closed) return Promise.reject(new AssayError('engine', `${this.opts.label}: engine closed`));
    if (signal?.aborted) return Promise.reject(this.aborted(signal));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(job);
        if (i >= 0) this.queue.splice(i, 1);
        job.reject(this.aborted(signal as AbortSignal));
      };
      const job: Job = {
        bytes,
        done: false,
        resolve: (hits) => settle(() => resolve(hits)),
        reject: (err) => settle(() => reject(err)),
      };
      const settle = (fn: () => void): void => {
        if (job.done) return;
        job.done = true;
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(new AssayError('engine', `${this.opts.label}: engine closed`));
    this.processes.abort();
    await Promise.allSettled([...this.running]);
    await this.tools.remove();
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.opts.concurrency && this.queue.length > 0) {
      const batch = this.take();
      const run: Promise<void> = this.run(batch).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private take(): Job[] {
    const batch = [this.queue.shift() as Job];
    let bytes = batch[0]?.bytes.length ?? 0;
    while (batch.length < BATCH_FILES && this.queue.length > 0) {
      const next = this.queue[0] as Job;
      if (bytes + next.bytes.length > BATCH_BYTES) break;
      bytes += next.bytes.length;
      batch.push(this.queue.shift() as Job);
    }
    return batch;
  }

  private async run(batch: Job[]): Promise<void> {
    const dir = join(this.tools.dir, `batch-${this.batches++}`);
    try {
      await this.spool(dir, batch);
      const seconds = Math.max(1, Math.ceil(this.opts.timeoutMs / 1000));
      const args = ['-C', '-m', '-w', '-p', '1', '-a', String(seconds), '--scan-list', this.tools.compiled];
      const watchdog = seconds * 1000 * batch.length + WATCHDOG_SLACK_MS;
      const r = await runTool(this.tools.yara, [...args, join(dir, 'list')], watchdog, this.processes.signal);
      this.settle(batch, r, `${dir}/`);
    } catch (err) {
      const e = wrapError(err, this.opts.label, 'engine');
      for (const job of batch) job.reject(e);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async spool(dir: string, batch: Job[]): Promise<void> {
    try {
      await mkdir(dir);
      await Promise.all(batch.map((job, i) => writeFile(join(dir, String(i)), job.bytes, { mode: 0o600 })));
      await writeFile(join(dir, 'list'), batch.map((_, i) => `${join(dir, String(i))}\n`).join(''));
    } catch (err) {
      throw ioError(`cannot write files to scan under ${dir}`, err);
    }
  }

  /** Spreads one process's output over its files; output it cannot place fails the whole batch. */
  private settle(batch: Job[], r: ToolResult, prefix: string): void {
    const hits = batch.map((): ContentHit[] => []);
    const strange: string[] = [];
    for (const line of lines(r.stdout)) {
      const m = parseMatchLine(line, prefix);
      const hitsOf = m ? hits[Number(m.file)] : undefined;
      if (m && hitsOf) hitsOf.push(yaraHit(m.match));
      else strange.push(line);
    }
    const failed = this.batchError(r, strange);
    if (failed) {
      for (const job of batch) job.reject(failed);
      return;
    }
    const errors = new Map<number, string>();
    for (const line of lines(r.stderr)) {
      const e = parseScanError(line, prefix);
      if (e) errors.set(Number(e.file), e.reason);
    }
    batch.forEach((job, i) => {
      const reason = errors.get(i);
      if (reason === undefined) job.resolve(hits[i] ?? []);
      else job.reject(this.fileError(reason));
    });
  }

  private batchError(r: ToolResult, strange: string[]): AssayError | undefined {
    const label = this.opts.label;
    if (r.timedOut) return new AssayError('timeout', `${label}: yara did not finish within its deadline`);
    if (r.code !== 0)
      return new AssayError('engine', `${label}: yara exited with ${r.code}: ${tailOf(r.stderr)}`);
    if (r.truncated) return new AssayError('engine', `${label}: yara printed more output than is kept`);
    if (strange.length > 0) {
      return new AssayError('engine', `${label}: unexpected yara output ${JSON.stringify(strange[0])}`);
    }
    return undefined;
  }

  /** yara's reason for one file (`scanning timed out`, `could not open file`). */
  private fileError(reason: string): AssayError {
    const { label, timeoutMs } = this.opts;
    if (/timed out/.test(reason)) return new AssayError('timeout', `${label}: ${reason} (${timeoutMs} ms)`);
    return new AssayError('engine', `${label}: ${reason}`);
  }

  private aborted(signal: AbortSignal): AssayError {
    return new AssayError('aborted', `${this.opts.label}: aborted`, { cause: signal.reason });
  }
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

function tailOf(text: string): string {
  const t = text.trim();
  return t.length > 300 ? `…${t.slice(-300)}` : t || '(no message)';
}
