import type { Rate } from '@orchester/core';
import type { RedisClient } from '@orchester/queue';

/**
 * Share of a declared rate the pacer uses. Calls are evenly spaced, so a service counting in
 * fixed windows sees at most this share of its limit in any window, and a call that a few
 * milliseconds of network delay push across a window boundary still fits.
 */
export const PACE_SHARE = 0.95;

// KEYS[1]: when the instance's next call may start (ms since the epoch, on Redis's clock, so
// every worker of the fleet shares one schedule).
// ARGV[1]: ms between two starts; ARGV[2]: the longest wait worth reserving.
// Answers the wait in ms before the reserved start, or minus the wait when it is too long to
// reserve (nothing is reserved then).
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local start = tonumber(redis.call('GET', KEYS[1])) or now
if start < now then start = now end
local wait = start - now
if wait > tonumber(ARGV[2]) then return tostring(-wait) end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(start + interval), 'PX', math.ceil(wait + interval) + 1000)
return tostring(wait)
`;

// KEYS[1] as above; ARGV[1]: ms from now before which no call may start.
const HOLD_OFF = `
local t = redis.call('TIME')
local until_ = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 + tonumber(ARGV[1])
local start = tonumber(redis.call('GET', KEYS[1])) or 0
if until_ > start then
  redis.call('SET', KEYS[1], tostring(until_), 'PX', math.ceil(tonumber(ARGV[1])) + 1000)
end
return 1
`;

type RedisWithPace = RedisClient & {
  orchesterPaceReserve(key: string, intervalMs: number, maxWaitMs: number): Promise<string>;
  orchesterPaceHoldOff(key: string, ms: number): Promise<number>;
};

/**
 * Spaces an instance's calls evenly at its declared rate, for the whole fleet: each job reserves
 * the next start time in Redis (one script call) and waits for it. Unlike a limiter that counts
 * in windows of its own, nothing goes out in bursts, so a service counting in windows that
 * start elsewhere is not pushed over its limit where two windows meet.
 */
export class RatePacer {
  private readonly redis: RedisWithPace;
  readonly intervalMs: number;

  constructor(
    redis: RedisClient,
    private readonly key: string,
    rate: Rate,
    private readonly maxWaitMs = 5_000,
  ) {
    this.redis = redis as RedisWithPace;
    if (typeof this.redis.orchesterPaceReserve !== 'function') {
      redis.defineCommand('orchesterPaceReserve', { numberOfKeys: 1, lua: RESERVE });
      redis.defineCommand('orchesterPaceHoldOff', { numberOfKeys: 1, lua: HOLD_OFF });
    }
    this.intervalMs = rate.durationMs / (rate.max * PACE_SHARE);
  }

  /**
   * Reserves the next start: answers how long to wait for it, or, when that is longer than
   * `maxWaitMs`, minus that wait and reserves nothing (the job is better put aside than held).
   */
  async reserve(): Promise<number> {
    return Number(await this.redis.orchesterPaceReserve(this.key, this.intervalMs, this.maxWaitMs));
  }

  /** No start before `ms` from now: the service asked us to wait (429 with Retry-After). */
  async holdOff(ms: number): Promise<void> {
    await this.redis.orchesterPaceHoldOff(this.key, ms);
  }
}
