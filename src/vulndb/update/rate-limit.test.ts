import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Clock, nvdRateLimiter, RateLimiter } from './rate-limit.js';

function fakeClock(): Clock & { t: number; slept: number[] } {
  const c = {
    t: 1_000_000,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return c;
}

test('the first `limit` requests go at once; the next waits for the oldest to leave the window', async () => {
  const clock = fakeClock();
  const rl = new RateLimiter(5, 30_000, clock);
  for (let i = 0; i < 5; i++) {
    await rl.acquire();
    clock.t += 1_000;
  }
  assert.deepEqual(clock.slept, []);
  const waits: number[] = [];
  await rl.acquire(undefined, (ms) => waits.push(ms));
  // Requests started at t0..t0+4s; now t0+5s; the slot frees at t0+30s.
  assert.deepEqual(waits, [25_000]);
  assert.deepEqual(clock.slept, [25_000]);
});

test('a rolling window, not fixed buckets: never more than limit starts in any 30 s', async () => {
  const clock = fakeClock();
  const rl = new RateLimiter(5, 30_000, clock);
  const starts: number[] = [];
  for (let i = 0; i < 23; i++) {
    await rl.acquire();
    starts.push(clock.t);
    clock.t += 700;
  }
  for (const s of starts) {
    const inWindow = starts.filter((x) => x >= s && x < s + 30_000).length;
    assert.ok(inWindow <= 5, `${inWindow} starts in the window from ${s}`);
  }
});

test('NVD limits: 5 without a key, 50 with one', () => {
  assert.equal(nvdRateLimiter(false).limit, 5);
  assert.equal(nvdRateLimiter(true).limit, 50);
  assert.equal(nvdRateLimiter(true).windowMs, 30_000);
});
