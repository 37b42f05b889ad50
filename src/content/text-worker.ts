/**
 * Worker side of `text-pool.ts`: scans batches of text files with the rules it was started
 * with and answers each batch with its results, in order. Never throws for a file: an
 * unexpected error is returned for that batch and the pool scans it on its own thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../model/errors.js';
import { rulesOf, scanTextFile, type TextScanResult, type TextScanSpec } from './text-scan.js';

/** Files laid end to end in `data`; each ends at `end`. */
export interface TextBatch {
  id: number;
  data: Uint8Array;
  files: Array<{ path: string; end: number }>;
}

export type TextBatchReply = { id: number; results: TextScanResult[] } | { id: number; error: string };

const spec = workerData as TextScanSpec;
const rules = spec.rules ? rulesOf(spec.rules) : undefined;

parentPort?.on('message', (batch: TextBatch) => {
  try {
    const data = Buffer.from(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
    let start = 0;
    const results = batch.files.map((f) => {
      const bytes = data.subarray(start, f.end);
      start = f.end;
      return scanTextFile(f.path, bytes, rules, spec.indicators);
    });
    parentPort?.postMessage({ id: batch.id, results } satisfies TextBatchReply);
  } catch (err) {
    parentPort?.postMessage({ id: batch.id, error: errorMessage(err) } satisfies TextBatchReply);
  }
});
