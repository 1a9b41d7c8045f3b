import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { PACE_SHARE, RatePacer } from './pacer.js';

let redis: TestRedis;
let a: Redis;
let b: Redis;

beforeAll(async () => {
  redis = await startRedis();
  a = new Redis(redis.url);
  b = new Redis(redis.url);
});

afterAll(async () => {
  a?.disconnect();
  b?.disconnect();
  await redis?.destroy();
});

/** When each reservation may start, on this process's clock (the reply's arrival + its wait). */
async function startsOf(pacers: RatePacer[], n: number): Promise<number[]> {
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    const wait = await pacers[i % pacers.length]!.reserve();
    expect(wait).toBeGreaterThanOrEqual(0);
    starts.push(performance.now() + wait);
  }
  return starts;
}

describe('RatePacer', () => {
  it('spaces starts evenly at its share of the rate, across connections (a fleet)', async () => {
    const rate = { max: 50, durationMs: 1_000 };
    const one = new RatePacer(a, 'pace-fleet', rate);
    const other = new RatePacer(b, 'pace-fleet', rate);
    const interval = rate.durationMs / (rate.max * PACE_SHARE);
    expect(one.intervalMs).toBeCloseTo(interval);
    // The schedule on Redis's clock: after each reservation the key holds the start after it.
    const next: number[] = [];
    for (let i = 0; i < 30; i++) {
      expect(await [one, other][i % 2]!.reserve()).toBeGreaterThanOrEqual(0);
      next.push(Number(await a.get('pace-fleet')));
    }
    // Never closer than the interval, whichever connection asked; only a reservation made after
    // its slot had passed (a slow machine) starts later than the one before plus the interval.
    const gaps = next.slice(1).map((t, i) => t - next[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(interval - 1e-6);
    // Measured on this process's clock, a reply's trip back adds jitter, never a burst.
    const starts = await startsOf([one, other], 30);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThan(29 * interval - 50);
  });

  it('reserves nothing when the start is further off than the longest wait', async () => {
    const pacer = new RatePacer(a, 'pace-far', { max: 50, durationMs: 1_000 }, 50);
    const interval = pacer.intervalMs;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) waits.push(await pacer.reserve());
    const reserved = waits.filter((w) => w >= 0);
    // Starts 0, 21, 42 ms away fit within 50 ms; the next (63 ms) does not, and refusing it
    // pushed nothing further: the refusals name about the same wait.
    expect(reserved).toHaveLength(Math.floor(50 / interval) + 1);
    const refused = waits.filter((w) => w < 0);
    expect(refused.length).toBe(5 - reserved.length);
    for (const w of refused) expect(-w).toBeGreaterThan(50);
    expect(Math.abs(refused[0]! - refused.at(-1)!)).toBeLessThan(interval);
  });

  it('holds every start off for as long as the service asked', async () => {
    const pacer = new RatePacer(a, 'pace-hold', { max: 100, durationMs: 1_000 }, 10_000);
    await pacer.holdOff(400);
    const wait = await pacer.reserve();
    expect(wait).toBeGreaterThan(380);
    expect(wait).toBeLessThanOrEqual(400);
    // A shorter hold-off does not pull the schedule earlier.
    await pacer.holdOff(10);
    expect(await pacer.reserve()).toBeGreaterThan(380);
  });
});
