/**
 * Text detectors off the walk's thread. The walk's thread parses tar headers and runs the
 * catalog while zlib inflates on the thread pool; scanning every text file for secrets and
 * indicators on that same thread made it the bottleneck (issue 11 bench: +2.4 s on a 3 s
 * catalog). Files go to worker threads in batches (bounded in count and bytes in flight) and the
 * layer waits for its batches when it ends. Workers are kept for the process and unreferenced
 * while idle, so they never keep it alive.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AssayError } from '../model/errors.js';
import { rulesOf, scanTextFile, type TextScanResult, type TextScanSpec } from './text-scan.js';
import type { TextBatch, TextBatchReply } from './text-worker.js';

interface Pending {
  resolve(results: TextScanResult[]): void;
  reject(err: Error): void;
  worker: Worker;
}

export class TextScanPool {
  private readonly workers: Worker[] = [];
  private readonly busy = new Map<Worker, number>();
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private broken: string | undefined;

  constructor(
    private readonly spec: TextScanSpec,
    size: number,
  ) {
    for (let i = 0; i < size; i++) this.workers.push(this.start());
  }

  /** Results in the order of `files`; scanned here if the workers failed. */
  async scan(files: ReadonlyArray<{ path: string; bytes: Buffer }>): Promise<TextScanResult[]> {
    if (this.broken !== undefined || this.workers.length === 0) return this.inline(files);
    const worker = this.leastBusy();
    const id = ++this.seq;
    // Copied into one transferable buffer per batch: the walker's buffers may still be shared
    // (small Buffers sit in Node's pool slab, a catalog analyzer may keep a file), so they never move.
    const data = new Uint8Array(files.reduce((n, f) => n + f.bytes.length, 0));
    let offset = 0;
    const entries = files.map((f) => {
      data.set(f.bytes, offset);
      offset += f.bytes.length;
      return { path: f.path, end: offset };
    });
    const batch: TextBatch = { id, data, files: entries };
    const transfer = [data.buffer];
    const done = new Promise<TextScanResult[]>((resolve, reject) =>
      this.pending.set(id, { resolve, reject, worker }),
    );
    this.track(worker, +1);
    worker.postMessage(batch, transfer);
    try {
      return await done;
    } catch {
      return this.inline(files);
    }
  }

  private inline(files: ReadonlyArray<{ path: string; bytes: Buffer }>): TextScanResult[] {
    const rules = this.spec.rules ? rulesOf(this.spec.rules) : undefined;
    return files.map((f) => scanTextFile(f.path, f.bytes, rules, this.spec.indicators));
  }

  private start(): Worker {
    const worker = new Worker(new URL('./text-worker.js', import.meta.url), { workerData: this.spec });
    worker.unref();
    worker.on('message', (reply: TextBatchReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      this.track(worker, -1);
      if ('error' in reply) p.reject(new AssayError('internal', `text scan worker: ${reply.error}`));
      else p.resolve(reply.results);
    });
    worker.on('error', (err) => this.fail(worker, err.message));
    worker.on('exit', (code) => this.fail(worker, `exited with code ${code}`));
    return worker;
  }

  /** A dead worker's batches are scanned on this thread; no new batch goes to the workers. */
  private fail(worker: Worker, why: string): void {
    this.broken ??= why;
    for (const [id, p] of this.pending)
      if (p.worker === worker) {
        this.pending.delete(id);
        p.reject(new AssayError('internal', `text scan worker: ${why}`));
      }
  }

  private leastBusy(): Worker {
    let best = this.workers[0]!;
    for (const w of this.workers) if ((this.busy.get(w) ?? 0) < (this.busy.get(best) ?? 0)) best = w;
    return best;
  }

  /** Referenced only while it has work, so an idle pool never holds the process open. */
  private track(worker: Worker, delta: number): void {
    const n = (this.busy.get(worker) ?? 0) + delta;
    this.busy.set(worker, n);
    if (n > 0 && n === delta) worker.ref();
    if (n === 0) worker.unref();
  }
}

const pools = new Map<string, TextScanPool>();

/** One pool per rule set for the process: CPUs − 1 workers (the walk keeps one), 1 to 3. */
export function textScanPool(spec: TextScanSpec): TextScanPool {
  const key = JSON.stringify(spec);
  let pool = pools.get(key);
  if (!pool) {
    pool = new TextScanPool(spec, Math.max(1, Math.min(3, os.availableParallelism() - 1)));
    pools.set(key, pool);
  }
  return pool;
}
