/**
 * When and how long to retry. Registries shed load with 429 (Docker Hub's pull limits) and
 * 5xx from proxies; both are transient. Other 4xx describe the request itself and are final.
 */
import { AssayError } from '../../model/errors.js';

// 501 Not Implemented and 505 HTTP Version Not Supported will not change on a retry.
const PERMANENT_5XX = new Set([501, 505]);

export function shouldRetryStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && !PERMANENT_5XX.has(status));
}

// Errors of a connection that was reset or never completed; the same request may well succeed.
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

/**
 * Network resets are retried; timeouts are not (a hung server usually stays hung, and the user
 * chose the limit), nor is anything we raised ourselves (redirect loops, refused http).
 */
export function shouldRetryError(err: unknown): boolean {
  if (!(err instanceof AssayError) || err.code !== 'network') return false;
  const cause = err.cause;
  if (!(cause instanceof Error)) return false;
  const code = 'code' in cause ? String(cause.code) : '';
  return TRANSIENT_CODES.has(code) || cause.message === 'socket hang up';
}

export interface BackoffOptions {
  backoffMs: number;
  maxRetryAfterMs: number;
}

/**
 * `Retry-After` is delta-seconds or an HTTP-date (RFC 9110 §10.2.3); we honour either, capped.
 * Without it: exponential backoff with "equal jitter" (half fixed, half random; AWS Architecture
 * Blog, "Exponential Backoff And Jitter"), so concurrent layer downloads do not retry in lock-step.
 */
export function retryDelayMs(retryAfter: string | undefined, attempt: number, opts: BackoffOptions): number {
  const fromHeader = parseRetryAfter(retryAfter, Date.now());
  if (fromHeader !== undefined) return Math.min(fromHeader, opts.maxRetryAfterMs);
  const ceiling = Math.min(opts.backoffMs * 2 ** attempt, opts.maxRetryAfterMs);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
