import { type Logger, toOrchesterError } from '@orchester/core';
import { driftQueuePrefix, type RedisClient } from '@orchester/queue';
import {
  type ConnectorRegistry,
  loadRoster,
  newBatchId,
  PLAN_CHANGE_KINDS,
  type Plan,
  type PlanChange,
  plan,
  planJobs,
  type RetryPolicy,
} from '@orchester/runtime';
import { Queue, Worker } from 'bullmq';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DriftSettings } from './drift-settings.js';

const SCHEDULER_ID = 'roster-drift';

/** At most this many drifted people are named in one log line; the rest are counted. */
const NAMED_IN_LOG = 100;

/** One person who drifted: where, what the plan would change, and who they are in the roster. */
export interface Drifted {
  readonly instance: string;
  readonly kind: PlanChange['kind'];
  readonly identifier: string;
  readonly person?: string;
  readonly fromRole?: string;
  readonly toRole?: string;
  /** Teams or channels joined (`+name`, `+name:role`) and left (`-name`). */
  readonly groups?: readonly string[];
}

function driftedOf(plan: Plan): Drifted[] {
  return plan.instances.flatMap((p) =>
    p.changes.map((c) => ({
      instance: c.instance,
      kind: c.kind,
      identifier: c.identifier,
      ...(c.person ? { person: c.person.name } : {}),
      ...(c.fromRole ? { fromRole: c.fromRole } : {}),
      ...(c.toRole ? { toRole: c.toRole } : {}),
      ...(c.groups
        ? {
            groups: [
              ...c.groups.join.map((g) => `+${g.group}${g.role ? `:${g.role}` : ''}`),
              ...c.groups.leave.map((g) => `-${g}`),
            ],
          }
        : {}),
    })),
  );
}

/** What a drift check found and did. */
export interface DriftResult {
  readonly changes: number;
  readonly byInstance: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Who drifted, change by change (the log names the first 100). */
  readonly drifted: readonly Drifted[];
  /** The batch that carries the changes out, when `apply` is on and the plan is safe. */
  readonly batchId?: string;
  /** Why nothing was applied although `apply` is on (a safety limit). */
  readonly refused?: readonly string[];
}

export interface DriftCheckerOptions {
  readonly settings: DriftSettings;
  readonly registry: ConnectorRegistry;
  /** How a failed read of a service is retried: the jobs' policy. */
  readonly policy: RetryPolicy;
  readonly redis: RedisClient;
  /** The key prefix (`orchester`); the drift queue's own is `driftQueuePrefix` of it. */
  readonly prefix: string;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** Puts a batch on the instances' queues, as `orchest apply` would. */
  enqueue(batchId: string, jobs: ReturnType<typeof planJobs>): Promise<unknown>;
  /** Whether a batch has ended; a check applies nothing while its last batch still runs. */
  finished(batchId: string): Promise<boolean>;
  /** Releases what `enqueue` holds. */
  close?(): Promise<void>;
}

/**
 * Plans a roster on a schedule (a BullMQ job scheduler, so several workers check it once per
 * tick between them), logs and exposes the drift in `/metrics`, and applies it only when
 * configured to, never past the roster's safety limits unless `force` is set.
 */
export class DriftChecker {
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly drift: Gauge;
  private readonly lastCheck: Gauge;
  private readonly failures: Counter;
  private lastBatch: string | undefined;
  /** Stops a check's retries when the worker stops. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: DriftCheckerOptions) {
    this.queue = new Queue('drift', {
      connection: options.redis,
      prefix: driftQueuePrefix(options.prefix),
    });
    this.queue.on('error', () => {});
    const registers = [options.metrics];
    this.drift = new Gauge({
      name: 'orchester_drift_changes',
      help: 'Changes the last drift check of the roster found, by instance and kind.',
      labelNames: ['instance', 'kind'],
      registers,
    });
    this.lastCheck = new Gauge({
      name: 'orchester_drift_last_check_timestamp_seconds',
      help: 'When the roster was last checked for drift (Unix time).',
      registers,
    });
    this.failures = new Counter({
      name: 'orchester_drift_check_failures_total',
      help: 'Drift checks that could not be made (a service or the roster failed).',
      registers,
    });
  }

  async start(): Promise<void> {
    const { settings, redis, prefix, logger } = this.options;
    await this.removeEarlierSchedule();
    await this.queue.upsertJobScheduler(SCHEDULER_ID, settings.schedule, {
      name: 'drift-check',
      data: { roster: settings.roster },
      opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
    });
    this.worker = new Worker('drift', () => this.check(), {
      connection: redis,
      prefix: driftQueuePrefix(prefix),
      concurrency: 1,
    });
    this.worker.on('error', () => {});
    logger.info(
      { roster: settings.roster, schedule: settings.schedule, apply: settings.apply },
      'checking the roster for drift on a schedule',
    );
  }

  /**
   * Earlier versions kept the schedule under `{<prefix>:drift}`, the keys of an instance named
   * `drift`, whose worker would go on taking its checks: the schedule moves, it does not stay.
   */
  private async removeEarlierSchedule(): Promise<void> {
    const { redis, prefix } = this.options;
    const earlier = new Queue('drift', { connection: redis, prefix: `{${prefix}:drift}` });
    earlier.on('error', () => {});
    try {
      await earlier.removeJobScheduler(SCHEDULER_ID);
    } finally {
      await earlier.close();
    }
  }

  /** One check: plan, expose, and apply when configured and safe. */
  async check(): Promise<DriftResult> {
    const { settings, registry, logger, policy } = this.options;
    let current: Plan;
    try {
      current = await plan(await loadRoster(settings.roster, registry), registry, {
        policy,
        deadlineMs: settings.snapshotDeadlineMs,
        signal: this.stopping.signal,
        limitsFor: (name) => registry.limitsFor(name),
        onRetry: (instance, error, decision) =>
          logger.warn(
            {
              instance,
              code: error.code,
              error: error.message,
              delayMs: decision.delayMs,
              spendsAttempt: decision.spendsAttempt,
            },
            'drift check: reading the instance again',
          ),
      });
    } catch (error) {
      this.failures.inc();
      const e = toOrchesterError(error);
      logger.error(
        { roster: settings.roster, code: e.code, error: e.message },
        'drift check failed',
      );
      throw e;
    }
    this.lastCheck.set(Date.now() / 1000);
    this.drift.reset();
    const byInstance: Record<string, Record<string, number>> = {};
    for (const p of current.instances) {
      const counts: Record<string, number> = {};
      for (const kind of PLAN_CHANGE_KINDS) {
        counts[kind] = p.summary[kind];
        this.drift.set({ instance: p.instance, kind }, p.summary[kind]);
      }
      byInstance[p.instance] = counts;
    }
    const changes = current.summary.changes;
    const drifted = driftedOf(current);
    logger.info(
      {
        roster: settings.roster,
        changes,
        byInstance,
        ...(drifted.length > 0 ? { drifted: drifted.slice(0, NAMED_IN_LOG) } : {}),
        ...(drifted.length > NAMED_IN_LOG
          ? { driftedNotNamed: drifted.length - NAMED_IN_LOG }
          : {}),
      },
      changes === 0 ? 'no drift' : 'drift found',
    );
    if (!settings.apply || changes === 0) return { changes, byInstance, drifted };
    if (current.violations.length > 0 && !settings.force) {
      const refused = current.violations.map((v) => v.message);
      logger.warn(
        { refused },
        'drift not applied: the plan breaks a safety limit (set drift.force to go on)',
      );
      return { changes, byInstance, drifted, refused };
    }
    // The last batch may still be carrying out this very drift: applying it again would queue
    // the same changes twice (harmless, as they are idempotent, but noisy).
    if (this.lastBatch && !(await this.options.finished(this.lastBatch))) {
      logger.info(
        { batchId: this.lastBatch },
        'drift not applied yet: the last drift batch still runs',
      );
      return { changes, byInstance, drifted };
    }
    const batchId = newBatchId();
    await this.options.enqueue(batchId, planJobs(current, batchId));
    this.lastBatch = batchId;
    logger.info({ batchId, changes }, 'drift applied as a batch');
    return { changes, byInstance, drifted, batchId };
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('the worker is stopping'));
    await this.worker?.close();
    await this.queue.close();
    await this.options.close?.();
  }
}
