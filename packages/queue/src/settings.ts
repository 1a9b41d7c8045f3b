import { ConfigError, registerSecret } from '@orchester/core';
import {
  actorOf,
  auditStreamMaxLenOf,
  type OrchesterConfig,
  readConfigSection,
} from '@orchester/runtime';
import { z } from 'zod';

/** How long finished things are kept: whichever of age and count is reached first. */
export const keepSchema = z
  .object({
    age_seconds: z.number().int().min(1),
    count: z.number().int().min(1),
  })
  .strict();

export const redisSectionSchema = z
  .object({
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
      .optional(),
    /** Key prefix; each queue lives under `{<prefix>:<instance>}`, one Redis Cluster slot per queue. */
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, ., _ and - (1-40)')
      .default('orchester'),
  })
  .strict();

export const batchSectionSchema = z
  .object({
    /** Batch reports (results, totals) kept this long after their last change, and at most this many batches. */
    keep: keepSchema.default({ age_seconds: 30 * 24 * 3600, count: 1_000 }),
  })
  .strict();

/** The retention part of the `worker` section; the worker checks the rest of it. */
const retentionSchema = z
  .object({
    keep_completed: keepSchema.default({ age_seconds: 24 * 3600, count: 10_000 }),
    keep_failed: keepSchema.default({ age_seconds: 7 * 24 * 3600, count: 50_000 }),
  })
  .passthrough();

export interface Keep {
  readonly ageSeconds: number;
  readonly count: number;
}

/**
 * What both sides of the queue read from config: Redis, retention, the audit trail. Not the retry
 * policy: that is the worker's alone (see `readWorkerSettings`).
 */
export interface QueueSettings {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly keepCompleted: Keep;
  readonly keepFailed: Keep;
  readonly keepBatches: Keep;
  /** Records the Redis audit stream keeps (config `audit.stream_max_len`). */
  readonly auditStreamMaxLen: number;
  /** Who asks, for the audit trail: config `actor`, else the OS user. */
  readonly actor: string;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const keepOf = (k: { age_seconds: number; count: number }): Keep => ({
  ageSeconds: k.age_seconds,
  count: k.count,
});

/** Reads `redis`, `batch` and the retention part of `worker`. `REDIS_URL` wins over `redis.url`. */
export function readQueueSettings(
  config: OrchesterConfig,
  env: NodeJS.ProcessEnv = process.env,
): QueueSettings {
  const redis = readConfigSection(config, 'redis', redisSectionSchema);
  const batch = readConfigSection(config, 'batch', batchSectionSchema);
  const worker = readConfigSection(config, 'worker', retentionSchema);
  const redisUrl = env.REDIS_URL || redis.url || DEFAULT_REDIS_URL;
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(
      `REDIS_URL must be a redis:// or rediss:// URL, e.g. ${DEFAULT_REDIS_URL}`,
    );
  }
  registerRedisPassword(redisUrl);
  return {
    redisUrl,
    prefix: redis.prefix,
    keepCompleted: keepOf(worker.keep_completed),
    keepFailed: keepOf(worker.keep_failed),
    keepBatches: keepOf(batch.keep),
    auditStreamMaxLen: auditStreamMaxLenOf(config),
    actor: actorOf(config),
  };
}

/** A Redis URL's password is a secret: registered for redaction, and masked wherever the URL is shown. */
export function registerRedisPassword(url: string): void {
  try {
    const parsed = new URL(url);
    if (parsed.password) registerSecret(decodeURIComponent(parsed.password));
  } catch {
    // an unparsable URL is refused elsewhere
  }
}

/** The URL with its password masked, for messages and logs. */
export function displayRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an unparsable Redis URL';
  }
}
