/**
 * Sends results to the manager: one `POST <apiurl>/api/v1/scans` per image with the
 * `ImageResult` as JSON and `Authorization: Bearer <token>` (ARCHITECTURE "Result document").
 * A 5xx answer or a network failure is retried once; anything else is final. Never throws:
 * the caller reports why and exits 3 (ARCHITECTURE "Exit codes").
 */
import { errorMessage } from '../model/errors.js';
import type { ImageResult } from '../model/result.js';

export interface DeliveryOptions {
  apiUrl: string;
  token?: string;
  timeoutMs?: number;
  /** Pause before the one retry. */
  retryDelayMs?: number;
}

export type Delivery = { ok: true; status: number } | { ok: false; reason: string };

export function scansEndpoint(apiUrl: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/api/v1/scans`;
}

export async function deliverResult(result: ImageResult, opts: DeliveryOptions): Promise<Delivery> {
  const first = await post(result, opts);
  if (first.ok || !first.retry) return strip(first);
  await new Promise((resolve) => setTimeout(resolve, opts.retryDelayMs ?? 500));
  return strip(await post(result, opts));
}

type Attempt = { ok: true; status: number } | { ok: false; reason: string; retry: boolean };

function strip(a: Attempt): Delivery {
  return a.ok ? a : { ok: false, reason: a.reason };
}

async function post(result: ImageResult, opts: DeliveryOptions): Promise<Attempt> {
  const url = scansEndpoint(opts.apiUrl);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(result),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause ? `: ${errorMessage(err.cause)}` : '';
    return { ok: false, reason: `POST ${url} failed: ${errorMessage(err)}${cause}`, retry: true };
  }
  if (response.ok) {
    await response.body?.cancel();
    return { ok: true, status: response.status };
  }
  const body = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
  return {
    ok: false,
    reason: `POST ${url} answered ${response.status} ${response.statusText}${body ? `: ${body}` : ''}`,
    retry: response.status >= 500,
  };
}
