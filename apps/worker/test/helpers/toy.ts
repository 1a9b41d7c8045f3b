import type { RunningEmulator } from '@orchester/sandbox';
import type { Redis } from 'ioredis';
import toyEmulator, {
  limitRequests,
  TOY_TOKEN,
  toyState,
} from '../fixtures/connector-toy/sandbox.js';

export interface ToyState {
  members: Set<string>;
  changes: Array<{ action: 'add' | 'remove'; user: string }>;
  limiter: unknown;
  token: string;
  /** Writes land at once and answer this much later. */
  answerDelayMs: number;
  /** Requests being answered now, and the most there ever were at once. */
  inFlight: number;
  maxInFlight: number;
}

export type ToyEmulator = RunningEmulator<ToyState>;

export const toy = toyEmulator as {
  start(options?: Record<string, unknown>): Promise<ToyEmulator>;
};
export { limitRequests, TOY_TOKEN, toyState };

/** Starts a toy emulator whose team holds `members`. */
export async function startToy(
  members: string[],
  faults: Record<string, unknown> = {},
): Promise<ToyEmulator> {
  const emulator = await toy.start({
    state: (toyState as (m: string[]) => ToyState)(members),
    faults,
  });
  return emulator;
}

/** Every key and value in Redis as one string, to look for secrets. */
export async function dumpRedis(redis: Redis): Promise<string> {
  const parts: string[] = [];
  for (const key of await redis.keys('*')) {
    parts.push(key);
    const type = await redis.type(key);
    if (type === 'string') parts.push(String(await redis.get(key)));
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  return parts.join('\n');
}
