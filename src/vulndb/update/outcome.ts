/**
 * What `db update` tells its caller: events while it runs, one outcome per source at the end.
 */
import { AssayError, type ErrorCode } from '../../model/errors.js';
import type { ImportIssue } from '../importer.js';

export type SourceStatus = 'updated' | 'unchanged' | 'failed' | 'skipped';

export interface SourceOutcome {
  source: string;
  url: string;
  status: SourceStatus;
  /** Records imported (0 unless updated). */
  records: number;
  /** Records the importer reported and skipped. */
  issues: number;
  /** Bytes downloaded. */
  bytes: number;
  seconds: number;
  /** Why it failed, with what to do about it. */
  error?: string;
  errorCode?: ErrorCode;
  /** Why it was skipped or unchanged, when there is more to say. */
  note?: string;
}

export interface UpdateSummary {
  dir: string;
  sources: SourceOutcome[];
  /** True when the DB file was replaced (at least one source changed it). */
  swapped: boolean;
}

export type UpdateEvent =
  | { kind: 'start'; source: string; url: string }
  | { kind: 'bytes'; source: string; bytes: number; total?: number | undefined }
  | { kind: 'importing'; source: string; records: number }
  | { kind: 'wait'; source: string; ms: number; reason: string }
  | { kind: 'warn'; source: string; message: string }
  | { kind: 'issue'; source: string; issue: ImportIssue }
  | { kind: 'done'; outcome: SourceOutcome };

/** Every selected source failed: nothing was swapped in; the outcomes say why. */
export class UpdateFailedError extends AssayError {
  constructor(readonly summary: UpdateSummary) {
    const first = summary.sources.find((s) => s.error);
    super(
      first?.errorCode ?? 'network',
      `db update: every selected source failed; the DB was left as it was${first ? ` (first: ${first.error})` : ''}`,
    );
    this.name = 'UpdateFailedError';
  }
}
