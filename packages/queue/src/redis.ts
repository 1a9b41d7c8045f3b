import { TransientError } from '@orchester/core';
import { Redis } from 'ioredis';
import { displayRedisUrl } from './settings.js';

/**
 * The worker's connection: commands wait through a Redis restart instead of failing
 * (`maxRetriesPerRequest: null`, as BullMQ workers need) and reconnects back off to 2 s.
 */
export function createWorkerRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
  });
}

/**
 * A connection for a command-line client that must answer quickly: connects at once and fails
 * within `timeoutMs` naming the URL (password masked) and the way out (`--inline`).
 */
export async function connectClientRedis(url: string, timeoutMs = 1_500): Promise<Redis> {
  let connected = false;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    // ioredis keeps a closed socket's 2 s disconnect timer alive, which would hold the CLI open.
    disconnectTimeout: 100,
    maxRetriesPerRequest: 2,
    // Before the first connection a refusal is final at once (the CLI must answer within 2 s);
    // once connected, `--wait` rides out a Redis restart.
    retryStrategy: (times) => (connected ? Math.min(200 * times, 2_000) : times > 2 ? null : 100),
  });
  // Errors surface through the promise below; an unhandled 'error' event must not crash the CLI.
  let lastError: string | undefined;
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis
        .connect()
        .then(() => redis.ping())
        .then(() => {
          connected = true;
        }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    const why = lastError ?? (error instanceof Error ? error.message : String(error));
    throw new TransientError(
      `cannot reach Redis at ${displayRedisUrl(url)} (${why}); start Redis or set REDIS_URL to the worker's Redis, or run without the queue with --inline`,
      { details: { redis: displayRedisUrl(url) } },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** PING with a deadline, for `/readyz`. */
export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      redis.ping(),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      }),
    ]);
    return answer === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
