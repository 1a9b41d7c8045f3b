// The worker's composition root: the only file that touches the DI container.
import 'reflect-metadata';
import { type AnyConnector, type Clock, type Logger, systemClock } from '@orchester/core';
import {
  createWorkerRedis,
  describeRedis,
  duplicateRedis,
  pingRedis,
  QueueClient,
  RedisIdentityStore,
} from '@orchester/queue';
import {
  ConnectorRegistry,
  findConnectorPackages,
  loadConfig,
  type OrchesterConfig,
} from '@orchester/runtime';
import type { DestinationStream } from 'pino';
import { container } from 'tsyringe';
import { DriftChecker } from './drift.js';
import { readDriftSettings } from './drift-settings.js';
import { startHttp } from './http.js';
import { createLogger } from './logger.js';
import { WorkerMetrics } from './metrics.js';
import { WorkerService } from './service.js';
import { readWorkerSettings } from './settings.js';
import { runShutdown, type ShutdownStep } from './shutdown.js';
import { TOKENS } from './tokens.js';

export interface StartWorkerOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** `--config PATH`; else ORCHESTER_CONFIG_PATH, ./.orchester.json|yaml, ~/.orchester.json|yaml. */
  readonly configPath?: string;
  /** A ready config instead of a file (tests, embedding). */
  readonly config?: OrchesterConfig;
  /** Connectors given directly (tests, benchmarks); they win over installed packages. */
  readonly connectors?: readonly AnyConnector[];
  /** Where log lines go (default stdout). */
  readonly logDestination?: DestinationStream;
}

/** A running worker service. */
export interface RunningWorker {
  readonly httpUrl: string;
  readonly instances: readonly string[];
  readonly logger: Logger;
  /** Stops taking jobs, drains within the configured deadline, closes connectors and Redis. */
  stop(reason?: string): Promise<{ drained: boolean }>;
}

/** Starts the worker: config, connectors, one queue consumer per instance, the HTTP server. */
export async function startWorker(options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const scope = container.createChildContainer();
  const env = options.env ?? process.env;
  scope.register(TOKENS.env, { useValue: env });
  scope.register(TOKENS.clock, { useValue: systemClock });
  scope.register(TOKENS.config, {
    useValue:
      options.config ??
      loadConfig({ explicitPath: options.configPath, cwd: options.cwd ?? process.cwd(), env }),
  });
  const config = scope.resolve<OrchesterConfig>(TOKENS.config);
  const settings = readWorkerSettings(config, env);
  scope.register(TOKENS.logger, {
    useValue: createLogger(settings.logLevel, options.logDestination),
  });
  const logger = scope.resolve<Logger>(TOKENS.logger);
  for (const warning of config.warnings) logger.warn({ config: config.file }, warning);

  const redis = createWorkerRedis(settings.redis);
  redis.on('error', () => {
    // Reported by the service, rate-limited; ioredis reconnects by itself.
  });
  // Created before the registry so service calls are counted from the first one.
  const metrics: WorkerMetrics = new WorkerMetrics(() => service.jobCounts());
  const signal = new AbortController();
  scope.register(TOKENS.registry, {
    useFactory: (c) =>
      new ConnectorRegistry({
        packages: findConnectorPackages({
          from: new URL('.', import.meta.url).pathname,
          plugins: config.plugins,
          configDir: config.dir,
          env,
        }),
        config,
        env,
        logger,
        clock: c.resolve<Clock>(TOKENS.clock),
        signal: signal.signal,
        onServiceCall: (instance, call) => metrics.serviceCall(instance, call),
        identities: new RedisIdentityStore(redis, settings.prefix),
        ...(options.connectors ? { connectors: options.connectors } : {}),
      }),
  });
  let registry: ConnectorRegistry;
  try {
    registry = scope.resolve<ConnectorRegistry>(TOKENS.registry);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const service = new WorkerService({
    registry,
    settings,
    logger,
    redis,
    metrics,
    shutdown: signal.signal,
  });
  const driftSettings = readDriftSettings(config);
  let drift: DriftChecker | undefined;
  try {
    await service.start();
    if (driftSettings) {
      const batches = new QueueClient(duplicateRedis(redis), settings);
      drift = new DriftChecker({
        settings: driftSettings,
        registry,
        policy: settings.policy,
        redis,
        prefix: settings.prefix,
        logger,
        metrics: metrics.registry,
        enqueue: (batchId, jobs) => batches.enqueueBatch(batchId, jobs),
        finished: async (batchId) => (await batches.status(batchId))?.finished ?? true,
        close: () => batches.close(),
      });
      await drift.start();
    }
  } catch (error) {
    await drift?.stop();
    await registry.close();
    redis.disconnect();
    throw error;
  }
  const http = await startHttp({
    host: settings.http.host,
    port: settings.http.port,
    token: settings.http.token,
    metricsToken: settings.http.metricsToken,
    allowedHosts: settings.http.allowedHosts,
    metrics: metrics.registry,
    logger,
    queues: () => service.queues,
    ready: async () => {
      const redisOk = await pingRedis(redis);
      const checks = {
        redis: redisOk ? 'ok' : 'unreachable',
        connectors: service.isStarted ? 'ok' : 'not loaded',
      };
      return { ok: redisOk && service.isStarted, checks };
    },
  });
  logger.info(
    { redis: describeRedis(settings.redis), http: http.url, instances: service.instances },
    'worker ready',
  );

  const abortCalls = () => signal.abort(new Error('orchester worker is shutting down'));
  let cutOff = false;
  /**
   * The shutdown, in order, each step with its deadline: drain's is `worker.shutdown_timeout_ms`,
   * and the others together take at most 700 ms more, even with Redis down (what a step has
   * not closed by its deadline is cut; jobs left active are picked up by the stalled check).
   */
  const steps: ShutdownStep[] = [
    { name: 'drift', deadlineMs: 150, run: async () => drift?.stop() },
    {
      name: 'drain',
      deadlineMs: settings.shutdownTimeoutMs,
      run: () => service.drain(),
      atDeadline: () => {
        cutOff = true;
        abortCalls();
      },
    },
    // The jobs cut off go back to their queues and every job end lands before Redis closes.
    { name: 'queues', deadlineMs: 250, run: () => service.closeQueues() },
    {
      name: 'connectors',
      deadlineMs: 100,
      run: () => {
        abortCalls();
        return registry.close({ abort: cutOff });
      },
    },
    { name: 'http', deadlineMs: 100, run: () => http.close() },
    {
      name: 'redis',
      deadlineMs: 100,
      run: () => redis.quit(),
      atDeadline: () => redis.disconnect(),
    },
  ];

  let stopping: Promise<{ drained: boolean }> | undefined;
  return {
    httpUrl: http.url,
    instances: service.instances,
    logger,
    stop(reason = 'stop requested') {
      stopping ??= (async () => {
        logger.info(
          { reason, deadlineMs: settings.shutdownTimeoutMs },
          'shutting down: no new jobs, draining jobs in flight',
        );
        await runShutdown(steps, (end) => {
          if (!end.finished || end.error)
            logger.warn(
              {
                step: end.name,
                ...(end.error ? { error: (end.error as Error).message ?? String(end.error) } : {}),
              },
              end.finished ? 'shutdown step failed' : 'shutdown step cut at its deadline',
            );
        });
        const drained = !cutOff;
        logger.info(
          { drained },
          drained
            ? 'stopped; every job in flight finished'
            : 'stopped at the deadline; jobs cut off went back to the queue and run again',
        );
        return { drained };
      })();
      return stopping;
    },
  };
}
