/**
 * Worker side of `text-pool.ts`: scans batches of text files with the rules it was started
 * with and answers each batch with its results, in order. Never throws for a file: an
 * unexpected error is returned for that batch and the pool scans it on its own thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../model/errors.js';
import { rulesOf, scanTextFile, type TextScanResult, type TextScanSpec } from './text-scan.js';

export interface TextBatch {
  id: number;
  files: Array<{ path: string; bytes: Uint8Array }>;
}

export type TextBatchReply = { id: number; results: TextScanResult[] } | { id: number; error: string };

const spec = workerData as TextScanSpec;
const rules = spec.rules ? rulesOf(spec.rules) : undefined;

parentPort?.on('message', (batch: TextBatch) => {
  try {
    const results = batch.files.map((f) =>
      scanTextFile(
        f.path,
        Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength),
        rules,
        spec.indicators,
      ),
    );
    parentPort?.postMessage({ id: batch.id, results } satisfies TextBatchReply);
  } catch (err) {
    parentPort?.postMessage({ id: batch.id, error: errorMessage(err) } satisfies TextBatchReply);
  }
});
