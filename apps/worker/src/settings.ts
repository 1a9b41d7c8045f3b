import { ConfigError, registerSecret } from '@orchester/core';
import { keepSchema, type QueueSettings, readQueueSettings } from '@orchester/queue';
import {
  type OrchesterConfig,
  type RetryPolicy,
  readConfigSection,
  readRetryPolicy,
  resolveSecrets,
} from '@orchester/runtime';
import { z } from 'zod';

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

/** The worker service's own settings on top of the queue settings. */
export interface WorkerSettings extends QueueSettings {
  /**
   * How the worker retries the jobs it runs (config `retry`): its own, whatever the config of
   * the client that enqueued them says.
   */
  readonly policy: RetryPolicy;
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
    policy: readRetryPolicy(config),
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
