import { ConfigError, type Logger, TransientError, toOrchesterError } from '@orchester/core';
import type { RedisClient } from '@orchester/queue';
import {
  awaitReplica,
  BatchStore,
  batchKeys,
  paceKey,
  queuePrefix,
  REPLICA_WAIT_MS,
  RedisChangeJournal,
} from '@orchester/queue';
import {
  backoffDelay,
  type ConnectorRegistry,
  jobReportOf,
  type MembershipJob,
  membershipJobId,
} from '@orchester/runtime';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { failedAttemptOf, JobFailedError, RetryableAttemptError } from './attempt-failure.js';
import type { WorkerMetrics } from './metrics.js';
import { RatePacer } from './pacer.js';
import { createProcessor, type JobResultValue } from './processor.js';
import { type BatchWriter, ResultRecorder } from './result-recorder.js';
import type { WorkerSettings } from './settings.js';

export interface WorkerServiceOptions {
  readonly registry: ConnectorRegistry;
  readonly settings: WorkerSettings;
  readonly logger: Logger;
  /** The shared connection (`maxRetriesPerRequest: null`); workers duplicate it for blocking reads. */
  readonly redis: RedisClient;
  readonly metrics?: WorkerMetrics;
  /** Aborted at the drain deadline, with the connectors' calls in flight. */
  readonly shutdown?: AbortSignal;
}

interface Lane {
  readonly instance: string;
  readonly queue: Queue<MembershipJob>;
  readonly worker: Worker<MembershipJob, JobResultValue>;
  /** Whether the queue has a rate limit, so that BullMQ honours `queue.rateLimit` on it. */
  limited: boolean;
  /** Spaces the calls of an instance with a declared rate. */
  readonly pacer?: RatePacer;
}

// BullMQ honours `queue.rateLimit` only on a queue with a rate limit (its Lua checks `max`), and
// a limit costs Redis work on every job. A queue gets one no service would reach at its first
// 429 — in the queue's metadata, so every worker sharing it pauses. Declared rates are kept by
// the pacer instead: BullMQ's limiter counts in fixed windows, which lets a burst straddle two
// of the service's windows.
const UNLIMITED = { max: 1_000_000, duration: 1_000 };

/**
 * Consumes one BullMQ queue per configured connector instance. Concurrency is fleet-wide
 * (BullMQ's global concurrency, kept in Redis), so it holds however many workers run; a
 * connector with `serialWrites` gets global concurrency 1, which BullMQ enforces atomically
 * when a job is taken — correct across processes and machines, unlike an in-process lock.
 */
export class WorkerService {
  private readonly lanes: Lane[] = [];
  private readonly batches: BatchStore;
  private readonly journal: RedisChangeJournal;
  private readonly recorder: ResultRecorder;
  private started = false;
  private draining: Promise<void> | undefined;

  constructor(private readonly options: WorkerServiceOptions) {
    const { settings, redis } = options;
    // The same connection the workers complete jobs on (BullMQ uses the given client for its
    // commands): the recorder relies on that to have each job's end applied before its completion
    // (on a Redis Cluster it waits for the end to land instead).
    this.batches = new BatchStore(
      redis,
      settings.prefix,
      settings.keepBatches,
      settings.auditStreamMaxLen,
    );
    this.journal = new RedisChangeJournal(
      redis,
      settings.prefix,
      settings.keepBatches.ageSeconds * 1000,
    );
    const onCluster = redis instanceof Cluster;
    // On a cluster a job's end and its completion live on different nodes: a failover of the
    // batch record's node could keep the completion and lose the end, and the batch would never
    // finish. There the end waits for a replica, where the node has one, before the job completes.
    const writer: BatchWriter = onCluster
      ? {
          recordMany: async (batchId, reports) => {
            const recorded = await this.batches.recordMany(batchId, reports);
            await awaitReplica(redis, batchKeys(settings.prefix, batchId).meta, REPLICA_WAIT_MS);
            return recorded;
          },
        }
      : this.batches;
    this.recorder = new ResultRecorder(writer, {
      // One connection orders the end before the completion; a cluster's nodes do not.
      awaitLanding: onCluster,
      onLost: (report, error) =>
        options.logger.error(
          {
            jobId: report.jobId,
            batchId: report.batchId,
            instance: report.instance,
            error: error instanceof Error ? error.message : String(error),
          },
          'Redis refused the job end after retries; the batch will not count this job',
        ),
    });
  }

  /** Instance names this worker serves. */
  get instances(): string[] {
    return this.lanes.map((l) => l.instance);
  }

  get queues(): Queue[] {
    return this.lanes.map((l) => l.queue);
  }

  get isStarted(): boolean {
    return this.started && !this.draining;
  }

  /** Loads every connector, checks every instance's config, then starts consuming. */
  async start(): Promise<void> {
    const { registry, settings, logger, redis } = this.options;
    const configured = [...registry.config.instances.keys()];
    const names = settings.instances ?? configured;
    for (const name of names) {
      if (!configured.includes(name)) {
        throw new ConfigError(
          `worker.instances names "${name}", which is not configured (configured: ${configured.join(', ') || 'none'})`,
        );
      }
    }
    if (names.length === 0) {
      throw new ConfigError(
        `no connector instance is configured${registry.config.file ? ` in ${registry.config.file}` : ''}; the worker has nothing to serve`,
      );
    }
    const plans = [];
    for (const instance of names) {
      const { connector } = await registry.validatedConfig(instance);
      const limits = await registry.limitsFor(instance);
      plans.push({ instance, connector, limits });
    }
    const processor = createProcessor({
      resolver: registry,
      batches: this.recorder,
      journal: this.journal,
      policy: settings.policy,
      logger,
      ...(this.options.metrics ? { observer: this.options.metrics } : {}),
      ...(this.options.shutdown ? { shutdown: this.options.shutdown } : {}),
      cancelledAt: (batchId) => this.batches.cancelledAt(batchId),
      pauseQueue: async (instance, ms) => {
        const lane = this.lanes.find((l) => l.instance === instance);
        if (!lane) return;
        if (!lane.limited) {
          await lane.queue.setGlobalRateLimit(UNLIMITED.max, UNLIMITED.duration);
          lane.limited = true;
        }
        await Promise.all([lane.queue.rateLimit(ms), lane.pacer?.holdOff(ms)]);
      },
      pace: (instance) => this.lanes.find((l) => l.instance === instance)?.pacer?.reserve(),
    });
    for (const { instance, connector, limits } of plans) {
      const prefix = queuePrefix(settings.prefix, instance);
      const queue = new Queue<MembershipJob>(instance, { connection: redis, prefix });
      queue.on('error', (error) => this.connectionTrouble(instance, error));
      const concurrency = connector.capabilities.serialWrites ? 1 : limits.concurrency;
      await queue.setGlobalConcurrency(concurrency);
      // A limit an earlier version kept in the queue's metadata would still throttle it.
      if (((await queue.getGlobalRateLimit())?.max ?? UNLIMITED.max) !== UNLIMITED.max)
        await queue.setGlobalRateLimit(UNLIMITED.max, UNLIMITED.duration);
      const worker = new Worker<MembershipJob, JobResultValue>(instance, processor, {
        connection: redis,
        prefix,
        autorun: false,
        concurrency,
        lockDuration: settings.lockDurationMs,
        stalledInterval: settings.stalledIntervalMs,
        maxStalledCount: settings.maxStalledCount,
        removeOnComplete: {
          age: settings.keepCompleted.ageSeconds,
          count: settings.keepCompleted.count,
        },
        removeOnFail: { age: settings.keepFailed.ageSeconds, count: settings.keepFailed.count },
        settings: {
          // The delay the processor's policy decision chose; the policy's own for anything else.
          backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
            error instanceof RetryableAttemptError
              ? error.delayMs
              : backoffDelay(attemptsMade, settings.policy),
        },
      });
      worker.on('error', (error) => this.connectionTrouble(instance, error));
      worker.on('failed', (job, error) => {
        if (job) void this.recordUnwrittenEnd(job, error);
      });
      worker.on('stalled', (jobId) =>
        logger.warn(
          { instance, jobId },
          'job stalled (its worker stopped answering); it runs again',
        ),
      );
      this.lanes.push({
        instance,
        queue,
        worker,
        limited: false,
        ...(limits.rate
          ? { pacer: new RatePacer(redis, paceKey(settings.prefix, instance), limits.rate) }
          : {}),
      });
      logger.info(
        {
          instance,
          connector: connector.id,
          concurrency,
          rate: limits.rate ?? null,
          serialWrites: connector.capabilities.serialWrites,
          queue: `${prefix}:${instance}`,
        },
        'consuming queue',
      );
    }
    for (const lane of this.lanes) {
      lane.worker.run().catch((error: unknown) => this.connectionTrouble(lane.instance, error));
    }
    this.started = true;
  }

  private lastTrouble = 0;
  private connectionTrouble(instance: string, error: unknown): void {
    // Reconnects are automatic; one line per few seconds is enough to tell someone.
    const now = Date.now();
    if (now - this.lastTrouble < 5_000) return;
    this.lastTrouble = now;
    const message = error instanceof Error ? error.message : String(error);
    this.options.logger.warn({ instance, error: message }, 'Redis connection trouble; retrying');
  }

  /**
   * Ends BullMQ decided without the processor writing them still get a line in the batch report:
   * a job that stalled too often (BullMQ sets its `deferredFailure` and fails it at the next
   * start), a job whose attempts ran out on an unexpected error, or one whose BullMQ `attempts`
   * came first (enqueued by an older client that set them). What the failure means is read from
   * the error's data, never from its text. A job's end is written once: the first record wins.
   */
  private async recordUnwrittenEnd(job: Job<MembershipJob>, error: Error): Promise<void> {
    if (error instanceof JobFailedError && error.recorded) return;
    const final =
      error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final || !job.data?.batchId) return;
    try {
      const jobId = membershipJobId(job.data);
      const attempt = failedAttemptOf(error) ?? {
        ok: false,
        error:
          job.deferredFailure !== undefined
            ? new TransientError(
                `the job stalled more than worker.max_stalled_count (${this.options.settings.maxStalledCount}) times: the workers running it stopped answering`,
              )
            : toOrchesterError(error),
        durationMs: 0,
      };
      // A run that stalled may have sent its change: the journal says which, if any.
      const sent = attempt.change
        ? undefined
        : await this.journal.earlier({ batchId: job.data.batchId, jobId });
      const report = jobReportOf(
        job.data,
        jobId,
        Math.max(1, job.attemptsMade),
        sent ? { ...attempt, change: { outcome: sent, confirmed: false } } : attempt,
        job.finishedOn ?? Date.now(),
      );
      await this.recorder.record(report);
    } catch (e) {
      this.connectionTrouble(job.data.instance, e);
    }
  }

  /** Job counts per queue, for metrics. */
  async jobCounts(): Promise<Array<{ queue: string; counts: Record<string, number> }>> {
    return Promise.all(
      this.lanes.map(async (l) => ({
        queue: l.instance,
        counts: await l.queue.getJobCounts(
          'waiting',
          'active',
          'delayed',
          'completed',
          'failed',
          'prioritized',
        ),
      })),
    );
  }

  /**
   * Stops taking jobs; settles when every job in flight has ended. A job cut off meanwhile (the
   * composition root aborts the connectors' calls at the drain deadline) goes back to the queue,
   * no attempt spent, and runs again on another worker or after a restart.
   */
  drain(): Promise<void> {
    this.draining ??= Promise.all(this.lanes.map((l) => l.worker.close())).then(
      () => undefined,
      () => undefined,
    );
    return this.draining;
  }

  /** After `drain`: the jobs cut off are back in their queues, every job end has landed, queues closed. */
  async closeQueues(): Promise<void> {
    await this.drain();
    await this.recorder.settled();
    await Promise.all(this.lanes.map((l) => l.queue.close()));
  }
}
