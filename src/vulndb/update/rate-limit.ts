/**
 * A rolling-window rate limiter: at most `limit` starts in any `windowMs`. NVD documents its
 * limits this way (https://nvd.nist.gov/developers/start-here: 5 requests in a rolling 30 s
 * window without an API key, 50 with one).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
};

export class RateLimiter {
  private readonly starts: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** How long the next request must wait, 0 when it may go now. */
  delayMs(): number {
    const now = this.clock.now();
    while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - this.windowMs) this.starts.shift();
    if (this.starts.length < this.limit) return 0;
    return (this.starts[0] ?? now) + this.windowMs - now;
  }

  /** Waits for a free slot (telling `onWait` first), then takes it. */
  async acquire(signal?: AbortSignal, onWait?: (ms: number) => void): Promise<void> {
    for (let ms = this.delayMs(); ms > 0; ms = this.delayMs()) {
      onWait?.(ms);
      await this.clock.sleep(ms, signal);
    }
    this.starts.push(this.clock.now());
  }
}

export const NVD_WINDOW_MS = 30_000;

export function nvdRateLimiter(hasApiKey: boolean, clock: Clock = realClock): RateLimiter {
  return new RateLimiter(hasApiKey ? 50 : 5, NVD_WINDOW_MS, clock);
}
