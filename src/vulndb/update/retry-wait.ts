/**
 * The pause before a retry: the server's Retry-After when it sent one (seconds or an HTTP date,
 * capped), else exponential backoff with jitter — the registry client's rule
 * (`image/registry/retry.ts`), announced first so the user sees why nothing moves.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { retryDelayMs } from '../../image/registry/retry.js';
import { AssayError } from '../../model/errors.js';

export interface WaitTarget {
  what: string;
  signal?: AbortSignal | undefined;
  onWait?(ms: number, reason: string): void;
}

export async function waitToRetry(
  target: WaitTarget,
  policy: { backoffMs: number; maxRetryAfterMs: number },
  retryAfter: string | undefined,
  attempt: number,
  reason: string,
): Promise<void> {
  const ms = retryDelayMs(retryAfter, attempt, policy);
  target.onWait?.(ms, reason);
  try {
    await sleep(ms, undefined, target.signal ? { signal: target.signal } : {});
  } catch (err) {
    throw new AssayError('aborted', `${target.what}: aborted`, { cause: err });
  }
}
