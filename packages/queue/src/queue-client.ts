import { type IdentityEntry, isOrchesterError, TransientError } from '@orchester/core';
import {
  type AuditRecord,
  type BatchReport,
  type MembershipJob,
  membershipJobId,
  type OrchesterConfig,
} from '@orchester/runtime';
import { type JobsOptions, Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { type AuditStreamQuery, readAuditEntries } from './audit-stream.js';
import { type BatchStatus, BatchStore } from './batch-store.js';
import { RedisIdentityStore } from './identity-hash.js';
import { membershipJobOptionsFor } from './job-options.js';
import { batchKeys, queuePrefix } from './keys.js';
import type { RedisClient } from './redis.js';
import { connectClientRedis } from './redis.js';
import { awaitReplica, REPLICA_WAIT_MS } from './replicas.js';
import {
  describeRedis,
  type QueueSettings,
  type RedisTarget,
  readQueueSettings,
} from './settings.js';

export interface OpenQueueClientOptions {
  readonly config: OrchesterConfig;
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for Redis before giving up (default 2 s). */
  readonly timeoutMs?: number;
}

export interface EnqueueResult {
  readonly batchId: string;
  /** Jobs handed to the queue (BullMQ ignores those already waiting or running). */
  readonly enqueued: number;
  /** Jobs new to the batch: no earlier enqueue of it had them. */
  readonly added: number;
  /**
   * Jobs an earlier enqueue of the batch announced but was cut off before confirming: some may
   * have been on the queue already; now each is, counted once.
   */
  readonly resumed: number;
  /** Jobs of this batch already on the queue from an earlier enqueue, not yet ended. */
  readonly alreadyQueued: number;
  /** Jobs of this batch that had already ended in an earlier enqueue. */
  readonly alreadyFinished: number;
  readonly jobIds: readonly string[];
}

export interface WaitOptions {
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  onProgress?(status: BatchStatus): void;
  /**
   * Told which instances the batch still waits on have no worker consuming their queue (seen
   * from 2 s on, every 2 s), each time that list changes; `[]` once every one has a worker again.
   */
  onWorkers?(missing: readonly string[]): void;
  /**
   * How long an enqueue that left jobs unconfirmed may stay quiet, with every confirmed job
   * ended, before waiting stops (default 30 s): it was cut off, and nothing more is coming.
   */
  readonly cutOffAfterMs?: number;
}

/** What `cancelBatch` did. */
export interface CancelResult {
  readonly batchId: string;
  /** True when this call cancelled the batch (it had jobs that had not ended). */
  readonly cancelled?: true;
  /** Jobs taken off the queue before they ran. */
  readonly removed: number;
  /**
   * Jobs already started that could not be taken back: a scheduled one that has not reached the
   * service yet ends as `ORCH_CANCELLED`; one that has, finishes.
   */
  readonly running: number;
  /** Jobs of the batch that had already ended. */
  readonly ended: number;
  /** Set when an earlier `cancelBatch` had cancelled it: nothing more was done. */
  readonly alreadyCancelledAt?: string;
}

/** Job options that hold a job on the queue as delayed until `runAt`. */
function scheduled(
  optionsOf: (jobId: string) => JobsOptions,
  runAt: number | undefined,
): (jobId: string) => JobsOptions {
  if (runAt === undefined) return optionsOf;
  return (jobId) => ({ ...optionsOf(jobId), delay: Math.max(0, runAt - Date.now()) });
}

// addBulk sends one MULTI per call; chunks keep a single transaction from holding Redis long.
const CHUNK = 2_000;

/**
 * What the CLI needs from the queue: enqueue a batch (deterministic job ids, so enqueuing the
 * same batch twice runs each job once), its status, its report, and waiting for it to end.
 */
export class QueueClient {
  private readonly queues = new Map<string, Queue<MembershipJob>>();
  private readonly batches: BatchStore;

  constructor(
    private readonly redis: RedisClient,
    readonly settings: QueueSettings,
  ) {
    this.batches = new BatchStore(redis, settings.prefix, settings.keepBatches);
  }

  /** Where Redis is (URL or nodes), passwords masked. */
  get redisUrl(): string {
    return describeRedis(this.settings.redis);
  }

  private queue(instance: string): Queue<MembershipJob> {
    let queue = this.queues.get(instance);
    if (!queue) {
      queue = new Queue<MembershipJob>(instance, {
        connection: this.redis,
        prefix: queuePrefix(this.settings.prefix, instance),
      });
      queue.on('error', () => {});
      this.queues.set(instance, queue);
    }
    return queue;
  }

  /**
   * Records the batch and puts every job that has not ended yet on its instance's queue. Each
   * job's id is computed once here. `actor` (default: config `actor` or the OS user) is who
   * the audit trail says asked.
   */
  async enqueueBatch(
    batchId: string,
    jobs: readonly MembershipJob[],
    options: {
      readonly actor?: string;
      /** When the jobs run (ms since the epoch): they wait on the queue as delayed jobs till then. */
      readonly runAt?: number;
    } = {},
  ): Promise<EnqueueResult> {
    // A job id counts once, however many rows asked for it.
    const byId = new Map<string, MembershipJob>();
    const jobIds: string[] = [];
    for (const job of jobs) {
      const id = membershipJobId(job);
      jobIds.push(id);
      if (!byId.has(id)) byId.set(id, job);
    }
    let confirmed = 0;
    let sending = 0;
    try {
      const now = Date.now();
      const { runAt } = options;
      const { finishedIds, fresh, resumed } = await this.batches.register(batchId, byId, {
        actor: options.actor ?? this.settings.actor,
        now,
        ...(runAt !== undefined ? { runAt } : {}),
      });
      const ttlMs = this.batches.ttlUntil(runAt, now);
      const optionsOf = scheduled(membershipJobOptionsFor(), runAt);
      const byInstance = new Map<
        string,
        Array<{ name: string; data: MembershipJob; opts: ReturnType<typeof optionsOf> }>
      >();
      for (const [id, job] of byId) {
        if (finishedIds.has(id)) continue;
        let list = byInstance.get(job.instance);
        if (!list) {
          list = [];
          byInstance.set(job.instance, list);
        }
        list.push({ name: job.action, data: job, opts: optionsOf(id) });
      }
      // Every chunk is sent at once: one connection pipelines them in order, so Redis works on
      // one while the next is still being encoded here. A chunk joins the batch's total only
      // once it is on the queue.
      const sends: Promise<unknown>[] = [];
      let enqueued = 0;
      for (const [instance, list] of byInstance) {
        const queue = this.queue(instance);
        for (let i = 0; i < list.length; i += CHUNK) {
          const chunk = list.slice(i, i + CHUNK);
          const ids = chunk.map((j) => j.opts.jobId ?? membershipJobId(j.data));
          sends.push(
            queue
              .addBulk(chunk)
              .then(() => this.batches.confirmEnqueued(batchId, instance, ids, Date.now(), ttlMs))
              .then(() => {
                confirmed += chunk.length;
              }),
          );
          enqueued += chunk.length;
        }
      }
      sending = enqueued;
      await Promise.all(sends);
      // Reported enqueued only once a replica holds it, where there are replicas: WAIT covers
      // every write of a connection, one connection per node.
      const nodes =
        this.redis instanceof Cluster
          ? [
              batchKeys(this.settings.prefix, batchId).meta,
              ...[...byInstance.keys()].map((i) => queuePrefix(this.settings.prefix, i)),
            ]
          : [batchKeys(this.settings.prefix, batchId).meta];
      await Promise.all(nodes.map((key) => awaitReplica(this.redis, key, REPLICA_WAIT_MS)));
      return {
        batchId,
        enqueued,
        added: fresh - resumed,
        resumed,
        alreadyQueued: byId.size - fresh - finishedIds.size,
        alreadyFinished: finishedIds.size,
        jobIds,
      };
    } catch (error) {
      throw this.lost(
        error,
        `enqueuing batch ${batchId} (${confirmed} of ${sending || byId.size} jobs confirmed on the queue; enqueue the same batch id again once Redis is back to finish it: nothing runs twice)`,
      );
    }
  }

  /**
   * Takes the batch's jobs that have not started off the queue (a scheduled batch's delayed
   * jobs, or jobs still waiting), and records the batch as cancelled. Jobs already running or
   * ended are left alone and counted. Undefined for an unknown (or expired) batch.
   */
  async cancelBatch(batchId: string): Promise<CancelResult | undefined> {
    try {
      const before = await this.batches.status(batchId);
      if (!before) return undefined;
      if (before.cancelledAt)
        return {
          batchId,
          alreadyCancelledAt: before.cancelledAt,
          removed: 0,
          running: 0,
          ended: before.done,
        };
      const unended = await this.batches.unendedIds(batchId);
      if (unended.length === 0) return { batchId, removed: 0, running: 0, ended: before.done };
      if (!(await this.batches.markCancelled(batchId))) {
        const at = (await this.batches.cancelledAt(batchId))!;
        return { batchId, alreadyCancelledAt: at, removed: 0, running: 0, ended: before.done };
      }
      const removed = new Map<string, string[]>();
      let running = 0;
      for (const id of unended) {
        // Job ids are batch.instance.action.person; neither a batch id nor an instance has a dot.
        const instance = id.slice(batchId.length + 1).split('.')[0]!;
        const job = await this.queue(instance).getJob(id);
        // Announced by an enqueue that was cut off before it reached the queue: it never runs.
        if (!job) {
          removed.set(instance, [...(removed.get(instance) ?? []), id]);
          continue;
        }
        const state = await job.getState();
        if (state === 'active' || state === 'completed' || state === 'failed') {
          running += 1;
          continue;
        }
        try {
          await job.remove();
        } catch {
          // Locked: a worker took it between the look and the removal.
          running += 1;
          continue;
        }
        removed.set(instance, [...(removed.get(instance) ?? []), id]);
      }
      const n = [...removed.values()].reduce((sum, ids) => sum + ids.length, 0);
      await this.batches.recordCancelled(batchId, removed);
      return { batchId, cancelled: true, removed: n, running, ended: before.done };
    } catch (error) {
      throw this.lost(error, `cancelling batch ${batchId}`);
    }
  }

  /** A Redis failure as an error naming the URL and what was being done; others as they are. */
  private lost(error: unknown, doing: string): unknown {
    if (isOrchesterError(error)) return error;
    const why = error instanceof Error ? error.message : String(error);
    return new TransientError(`lost Redis at ${this.redisUrl} while ${doing}: ${why}`, {
      cause: error,
      details: { redis: this.redisUrl },
    });
  }

  /** Totals and progress per instance, or undefined for an unknown (or expired) batch. */
  async status(batchId: string): Promise<BatchStatus | undefined> {
    try {
      const first = await this.batches.status(batchId);
      if (!first || first.finished) return first;
      const active = new Map<string, number>();
      // Job ids start with the batch id, so counting active ones needs the ids, not the jobs.
      const mine = `${batchId}.`;
      for (const row of first.instances) {
        const ids = await this.queue(row.instance).getRanges(['active'], 0, 999);
        active.set(row.instance, ids.filter((id) => id.startsWith(mine)).length);
      }
      return await this.batches.status(batchId, active);
    } catch (error) {
      throw this.lost(error, `reading batch ${batchId}`);
    }
  }

  /** One row per finished job. */
  async report(batchId: string): Promise<BatchReport | undefined> {
    try {
      return await this.batches.report(batchId);
    } catch (error) {
      throw this.lost(error, `reading the report of batch ${batchId}`);
    }
  }

  /**
   * Polls until every job of the batch has ended; answers the final status. Stops early with
   * an unfinished status when the signal aborts, or when the batch's enqueue was cut off.
   */
  async waitForBatch(batchId: string, options: WaitOptions = {}): Promise<BatchStatus | undefined> {
    const interval = options.intervalMs ?? 500;
    const cutOffAfter = options.cutOffAfterMs ?? 30_000;
    const started = Date.now();
    let troubleSince: number | undefined;
    let workersCheckedAt = started;
    let missing: string[] = [];
    for (;;) {
      let status: BatchStatus | undefined;
      try {
        status = await this.status(batchId);
        troubleSince = undefined;
      } catch (error) {
        // Redis restarting: keep waiting for a while, as the worker does.
        troubleSince ??= Date.now();
        if (Date.now() - troubleSince > 60_000 || options.signal?.aborted) throw error;
        await pause(interval, options.signal);
        continue;
      }
      if (status) options.onProgress?.(status);
      if (!status || status.finished) return status;
      if (options.signal?.aborted) return status;
      if (status.unconfirmed > 0 && status.done >= status.total) {
        const quietSince = Date.parse(status.enqueuedAt ?? status.createdAt);
        if (Date.now() - quietSince > cutOffAfter) return status;
      }
      if (options.onWorkers && Date.now() - workersCheckedAt >= 2_000) {
        workersCheckedAt = Date.now();
        const now = await this.instancesWithoutWorker(status);
        if (now && now.join() !== missing.join()) {
          missing = now;
          options.onWorkers(now);
        }
      }
      await pause(interval, options.signal);
    }
  }

  /** The instances with jobs still to run whose queue no worker consumes; undefined when unknown. */
  private async instancesWithoutWorker(status: BatchStatus): Promise<string[] | undefined> {
    const open = status.instances.filter((row) => row.succeeded + row.failed < row.total);
    try {
      const counts = await Promise.all(
        open.map((row) => this.queue(row.instance).getWorkersCount()),
      );
      return open.filter((_row, i) => counts[i] === 0).map((row) => row.instance);
    } catch {
      // CLIENT LIST may be refused (managed Redis): no word rather than a wrong one.
      return undefined;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no listener behind. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Reads the queue settings from config and connects; fails within `timeoutMs` (1.5 s, so the command ends within 2 s) with a
 * message naming the URL and suggesting `--inline` when Redis cannot be reached.
 */
export async function openQueueClient(options: OpenQueueClientOptions): Promise<QueueClient> {
  const settings = readQueueSettings(options.config, options.env ?? process.env);
  const redis = await connectClientRedis(settings.redis, options.timeoutMs ?? 1_500);
  return new QueueClient(redis, settings);
}

export interface ReadAuditStreamOptions extends AuditStreamQuery {
  /** The key prefix (config `redis.prefix`, default `orchester`). */
  readonly prefix?: string;
  /** How long to wait for Redis before giving up (default 1.5 s). */
  readonly timeoutMs?: number;
}

/**
 * The audit records queued work left in Redis, oldest first, filtered like the audit file.
 * Fails within `timeoutMs` naming the URL (password masked) when Redis cannot be reached.
 */
export async function readAuditStream(
  redisUrl: string | RedisTarget,
  options: ReadAuditStreamOptions = {},
): Promise<AuditRecord[]> {
  const redis = await connectClientRedis(redisUrl, options.timeoutMs ?? 1_500);
  try {
    return await readAuditEntries(redis, options.prefix ?? 'orchester', options);
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/**
 * Every e-mail -> service id that queued work recorded (`orchest audit --identities`). Fails
 * within `timeoutMs` naming the URL (password masked) when Redis cannot be reached.
 */
export async function readIdentities(
  redisUrl: string | RedisTarget,
  options: { readonly prefix?: string; readonly timeoutMs?: number } = {},
): Promise<IdentityEntry[]> {
  const redis = await connectClientRedis(redisUrl, options.timeoutMs ?? 1_500);
  try {
    return await new RedisIdentityStore(redis, options.prefix ?? 'orchester').list();
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
