/**
 * Sends results to the manager: one `POST <apiurl>/api/v1/scans` per image with the
 * `ImageResult` as JSON and `Authorization: Bearer <token>` (ARCHITECTURE "Result document").
 * 201 (created) and 200 (unchanged, or older than the stored scan) are success. A network
 * failure, 429 or 5xx is retried with jittered exponential backoff, waiting at least what
 * `Retry-After` asks (RFC 9110 §10.2.3); any other answer is final and the reason says what to
 * fix. Never throws: the caller reports why and exits 3 (ARCHITECTURE "Exit codes").
 */
import { errorMessage } from '../model/errors.js';
import type { ImageResult } from '../model/result.js';

export interface DeliveryOptions {
  apiUrl: string;
  token?: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts in all, default 4. */
  attempts?: number;
  /** First backoff step, doubled each retry (full jitter), default 500 ms. */
  baseDelayMs?: number;
  /** No single wait is longer, whatever `Retry-After` says; default 30 s. */
  maxDelayMs?: number;
  /** Tests replace the clock and the dice. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type Delivery =
  | { ok: true; status: number; attempts: number }
  | { ok: false; reason: string; attempts: number };

type Attempt =
  | { ok: true; status: number }
  | { ok: false; reason: string; retry: boolean; retryAfterMs?: number };

export function scansEndpoint(apiUrl: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/api/v1/scans`;
}

export async function deliverResult(result: ImageResult, opts: DeliveryOptions): Promise<Delivery> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const body = JSON.stringify(result);
  let last: Attempt = { ok: false, reason: 'not attempted', retry: false };
  for (let n = 1; n <= attempts; n++) {
    last = await post(body, opts);
    if (last.ok) return { ...last, attempts: n };
    if (!last.retry || n === attempts) {
      const tries = n > 1 ? ` (after ${n} attempts)` : '';
      return { ok: false, reason: `${last.reason}${tries}`, attempts: n };
    }
    await (opts.sleep ?? sleep)(backoffMs(n, last.retryAfterMs, opts));
  }
  return { ok: false, reason: last.ok ? 'unreachable' : last.reason, attempts };
}

/**
 * Full jitter (a random wait up to base·2^(n−1)) so many pipelines retrying one restarted
 * manager spread out; `Retry-After` is a floor, since the manager knows when it will be back.
 */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, opts: DeliveryOptions): number {
  const max = opts.maxDelayMs ?? 30_000;
  const ceiling = (opts.baseDelayMs ?? 500) * 2 ** (attempt - 1);
  const jittered = (opts.random ?? Math.random)() * ceiling;
  return Math.min(max, Math.max(jittered, retryAfterMs ?? 0));
}

/** `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined if absent or junk. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An IMF-fixdate names its weekday and month; without letters Date.parse takes "-5" for a year.
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What to fix, for the answers a retry cannot change. */
const ADVICE: Record<number, string> = {
  400: 'the manager rejected the result document',
  401: 'the manager refused the token: check --token/ASSAY_TOKEN',
  403: 'the token may not submit results: use a scanner or admin token',
  404: 'no Assay manager API at this address: check --apiurl',
  413: "the result is larger than the manager's body limit",
};

async function post(body: string, opts: DeliveryOptions): Promise<Attempt> {
  const url = scansEndpoint(opts.apiUrl);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause ? `: ${errorMessage(err.cause)}` : '';
    return { ok: false, reason: `POST ${url} failed: ${errorMessage(err)}${cause}`, retry: true };
  }
  if (response.status === 200 || response.status === 201) {
    await response.body?.cancel();
    return { ok: true, status: response.status };
  }
  const text = answerText(await response.text().catch(() => ''));
  const advice = ADVICE[response.status];
  const retry = response.status === 429 || response.status >= 500;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  return {
    ok: false,
    reason: `${advice ? `${advice}: ` : ''}POST ${url} answered ${response.status} ${response.statusText}${text ? `: ${text}` : ''}`,
    retry,
    ...(retry && retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/** The manager's `{"error": "…"}` message (it names the field), else the body's start. */
function answerText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'error' in parsed &&
      typeof parsed.error === 'string'
    )
      return parsed.error.slice(0, 300);
  } catch {
    // not JSON: a proxy's HTML or plain text
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 200);
}
