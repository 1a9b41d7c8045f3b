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

const redisUrlSchema = z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL');

const nodesSchema = z
  .array(redisUrlSchema)
  .min(1, 'at least one node')
  .max(100, 'at most 100 nodes');

export const redisSectionSchema = z
  .object({
    /** One Redis (also `REDIS_URL`). */
    url: redisUrlSchema.optional(),
    /** A Redis Cluster: some of its nodes; the client learns the rest from them. */
    cluster: z.object({ nodes: nodesSchema }).strict().optional(),
    /** A master and replicas watched by Sentinel: the sentinels and the master group's name. */
    sentinel: z
      .object({
        name: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'the master group name the sentinels monitor'),
        nodes: nodesSchema,
      })
      .strict()
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
  /** Which Redis: one node, a cluster, or a master found through Sentinel. */
  readonly redis: RedisTarget;
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
  const target = redisTargetOf(redis, env, config.file ?? 'config');
  return {
    redis: target,
    prefix: redis.prefix,
    keepCompleted: keepOf(worker.keep_completed),
    keepFailed: keepOf(worker.keep_failed),
    keepBatches: keepOf(batch.keep),
    auditStreamMaxLen: auditStreamMaxLenOf(config),
    actor: actorOf(config),
  };
}

/** One Redis, a Redis Cluster, or a master found through Sentinel. */
export type RedisTarget =
  | { readonly kind: 'single'; readonly url: string }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[] }
  | { readonly kind: 'sentinel'; readonly name: string; readonly nodes: readonly RedisNode[] };

/** One node of a cluster, or one sentinel: its address, credentials and whether to use TLS. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
}

/** `redis.url` (or `REDIS_URL`), `redis.cluster` or `redis.sentinel`: at most one of them. */
function redisTargetOf(
  redis: z.output<typeof redisSectionSchema>,
  env: NodeJS.ProcessEnv,
  file: string,
): RedisTarget {
  const given = [
    ...(env.REDIS_URL ? ['REDIS_URL'] : []),
    ...(redis.url !== undefined ? ['redis.url'] : []),
    ...(redis.cluster ? ['redis.cluster'] : []),
    ...(redis.sentinel ? ['redis.sentinel'] : []),
  ];
  const kinds = given.filter((g) => g !== 'REDIS_URL' || redis.url === undefined);
  if (kinds.length > 1) {
    throw new ConfigError(
      `${file}: ${kinds.join(' and ')} are ${kinds.length === 2 ? 'both' : 'all'} given; keep one: redis.url (or REDIS_URL) for one Redis, redis.cluster for a Redis Cluster, redis.sentinel for Sentinel`,
    );
  }
  if (redis.cluster) {
    return { kind: 'cluster', nodes: nodesOf(redis.cluster.nodes, 'redis.cluster.nodes', file) };
  }
  if (redis.sentinel) {
    return {
      kind: 'sentinel',
      name: redis.sentinel.name,
      nodes: nodesOf(redis.sentinel.nodes, 'redis.sentinel.nodes', file),
    };
  }
  const url = env.REDIS_URL || redis.url || DEFAULT_REDIS_URL;
  if (!/^rediss?:\/\//.test(url)) {
    throw new ConfigError(
      `REDIS_URL must be a redis:// or rediss:// URL, e.g. ${DEFAULT_REDIS_URL}`,
    );
  }
  registerRedisPassword(url);
  return { kind: 'single', url };
}

/**
 * Node URLs as addresses. Each needs a host and port; all share one scheme and one set of
 * credentials, since one client option carries them to every node.
 */
function nodesOf(urls: readonly string[], field: string, file: string): RedisNode[] {
  const nodes = urls.map((url, i) => {
    registerRedisPassword(url);
    const where = `${file}: ${field}[${i}]`;
    if (!URL.canParse(url)) {
      throw new ConfigError(`${where} is not a URL; write redis://HOST:PORT or rediss://HOST:PORT`);
    }
    const parsed = new URL(url);
    if (!parsed.hostname || !parsed.port) {
      throw new ConfigError(
        `${where} (${displayRedisUrl(url)}) needs a host and a port, e.g. redis://10.0.0.5:7000`,
      );
    }
    if (parsed.pathname !== '' && parsed.pathname !== '/') {
      throw new ConfigError(
        `${where} (${displayRedisUrl(url)}) names a database; a cluster or sentinel node URL takes none`,
      );
    }
    return {
      host: parsed.hostname.replace(/^\[|\]$/g, ''),
      port: Number(parsed.port),
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      tls: parsed.protocol === 'rediss:',
    };
  });
  const first = nodes[0]!;
  nodes.forEach((node, i) => {
    if (
      node.tls !== first.tls ||
      node.username !== first.username ||
      node.password !== first.password
    ) {
      throw new ConfigError(
        `${file}: ${field}[${i}] differs from ${field}[0] in scheme or credentials; every node takes the same (rediss:// for TLS, one user and password)`,
      );
    }
  });
  return nodes;
}

/** Where Redis is, for messages and logs: passwords never shown. */
export function describeRedis(target: RedisTarget): string {
  if (target.kind === 'single') return displayRedisUrl(target.url);
  const addresses = target.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  return target.kind === 'cluster'
    ? `cluster ${addresses}`
    : `sentinel ${addresses} (master ${target.name})`;
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
