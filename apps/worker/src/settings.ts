import { ConfigError, registerSecret } from '@orchester/core';
import {
  actorOf,
  auditStreamMaxLenOf,
  type OrchesterConfig,
  type RetryPolicy,
  readConfigSection,
  readRetryPolicy,
  resolveSecrets,
} from '@orchester/runtime';
import { z } from 'zod';

/** How long finished things are kept: whichever of age and count is reached first. */
const keepSchema = z
  .object({
    age_seconds: z.number().int().min(1),
    count: z.number().int().min(1),
  })
  .strict();

const tokenSchema = z.union([
  z.string().min(16, 'at least 16 characters'),
  z.object({ env: z.string().min(1) }).strict(),
]);

export const workerSectionSchema = z
  .object({
    http: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(9464),
        /** Guards the dashboard, and `/metrics` and `/readyz`; required when `host` is not a loopback address. */
        token: tokenSchema.optional(),
        /** A second token that opens `/metrics` and `/readyz` only (for a Prometheus scraper or a probe). */
        metrics_token: tokenSchema.optional(),
        /** Host names the server answers to besides loopback names and its own address (DNS rebinding guard). */
        allowed_hosts: z
          .array(
            z
              .string()
              .regex(
                /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)$/i,
                'a host name or address without scheme or port, e.g. "worker.internal"',
              ),
          )
          .optional(),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 9464 }),
    /** How long SIGTERM/SIGINT waits for jobs in flight; their calls are aborted then, and the process exits within 1 s. */
    shutdown_timeout_ms: z.number().int().min(0).max(600_000).default(30_000),
    /** Serve only these instances (default: every configured instance). */
    instances: z.array(z.string().min(1)).optional(),
    lock_duration_ms: z.number().int().min(1_000).default(30_000),
    stalled_interval_ms: z.number().int().min(500).default(30_000),
    max_stalled_count: z.number().int().min(0).default(2),
    log_level: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
      .default('info'),
    keep_completed: keepSchema.default({ age_seconds: 24 * 3600, count: 10_000 }),
    keep_failed: keepSchema.default({ age_seconds: 7 * 24 * 3600, count: 50_000 }),
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

export interface Keep {
  readonly ageSeconds: number;
  readonly count: number;
}

/** What the queue side of orchester reads from config: Redis, retry policy, retention. */
export interface QueueSettings {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly policy: RetryPolicy;
  readonly keepCompleted: Keep;
  readonly keepFailed: Keep;
  readonly keepBatches: Keep;
  /** Records the Redis audit stream keeps (config `audit.stream_max_len`). */
  readonly auditStreamMaxLen: number;
  /** Who asks, for the audit trail: config `actor`, else the OS user. */
  readonly actor: string;
}

/** The worker service's own settings on top of the queue settings. */
export interface WorkerSettings extends QueueSettings {
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly token: string | undefined;
    readonly metricsToken: string | undefined;
    /** Lower-case host names accepted in `Host:` besides loopback names and the server's own address. */
    readonly allowedHosts: readonly string[];
  };
  readonly shutdownTimeoutMs: number;
  readonly instances: readonly string[] | undefined;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  readonly logLevel: string;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const keepOf = (k: { age_seconds: number; count: number }): Keep => ({
  ageSeconds: k.age_seconds,
  count: k.count,
});

/** Reads `redis`, `retry`, `batch` and the retention part of `worker`. `REDIS_URL` wins over `redis.url`. */
export function readQueueSettings(
  config: OrchesterConfig,
  env: NodeJS.ProcessEnv = process.env,
): QueueSettings {
  const redis = readConfigSection(config, 'redis', redisSectionSchema);
  const batch = readConfigSection(config, 'batch', batchSectionSchema);
  const worker = readConfigSection(config, 'worker', workerSectionSchema);
  const redisUrl = env.REDIS_URL || redis.url || DEFAULT_REDIS_URL;
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(
      `REDIS_URL must be a redis:// or rediss:// URL, e.g. ${DEFAULT_REDIS_URL}`,
    );
  }
  registerRedisPassword(redisUrl);
  const policy = readRetryPolicy(config);
  return {
    redisUrl,
    prefix: redis.prefix,
    policy,
    keepCompleted: keepOf(worker.keep_completed),
    keepFailed: keepOf(worker.keep_failed),
    keepBatches: keepOf(batch.keep),
    auditStreamMaxLen: auditStreamMaxLenOf(config),
    actor: actorOf(config),
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i;

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Reads every section the worker service uses, refusing a dashboard on a public address without a token. */
export function readWorkerSettings(
  config: OrchesterConfig,
  env: NodeJS.ProcessEnv = process.env,
): WorkerSettings {
  const queue = readQueueSettings(config, env);
  const worker = readConfigSection(config, 'worker', workerSectionSchema);
  const token = readHttpToken(config, env, worker.http.token, 'token');
  const metricsToken = readHttpToken(config, env, worker.http.metrics_token, 'metrics_token');
  if (!isLoopback(worker.http.host) && token === undefined) {
    throw new ConfigError(
      `${config.file ?? 'config'}: worker.http.host is "${worker.http.host}", which is not a loopback address; set worker.http.token (e.g. {"env": "ORCHESTER_DASHBOARD_TOKEN"}) so the dashboard is not open to the network, or bind to 127.0.0.1`,
    );
  }
  return {
    ...queue,
    http: {
      host: worker.http.host,
      port: worker.http.port,
      token,
      metricsToken,
      allowedHosts: (worker.http.allowed_hosts ?? []).map((h) => h.toLowerCase()),
    },
    shutdownTimeoutMs: worker.shutdown_timeout_ms,
    instances: worker.instances,
    lockDurationMs: worker.lock_duration_ms,
    stalledIntervalMs: worker.stalled_interval_ms,
    maxStalledCount: worker.max_stalled_count,
    logLevel: worker.log_level,
  };
}

/** A `worker.http` token, resolved from config or the environment and registered for redaction. */
function readHttpToken(
  config: OrchesterConfig,
  env: NodeJS.ProcessEnv,
  value: z.infer<typeof tokenSchema> | undefined,
  key: 'token' | 'metrics_token',
): string | undefined {
  if (value === undefined) return undefined;
  const resolved = resolveSecrets(
    { [key]: value },
    { file: config.file ?? 'config', path: 'worker.http' },
    env,
  );
  const token = String(resolved.value[key]);
  if (token.length < 16)
    throw new ConfigError(`${config.file ?? 'config'}: worker.http.${key}: at least 16 characters`);
  registerSecret(token);
  return token;
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
