import { InvalidInputError } from '@orchester/core';
import type { BatchReport, JobReport, MembershipJob } from '@orchester/runtime';
import { auditRecordOf, DEFAULT_AUDIT_STREAM_MAX_LEN, totalsOf } from '@orchester/runtime';
import { auditStreamKey, batchIndexKey, batchKeys } from './keys.js';
import type { RedisClient } from './redis.js';
import type { Keep } from './settings.js';
import { storedReportOf } from './stored-report.js';

// Writes the ends of some jobs of one batch, each once: a second delivery of the same job (a
// worker died after the service acted) finds its field set and counts nothing, so totals never
// double — and, in the same atomic step, appends one audit record per add/remove end, so the
// audit stream never holds a job twice either. The batch's actor (who enqueued it) is read here,
// once per call, rather than carried in every job. A job that ends while its enqueue is not yet
// confirmed (still running, or cut off after the job reached the queue) was on the queue after
// all: it joins the batch's total here, once.
//   KEYS: results, counts, meta, jobs, audit stream, pending
//   ARGV: ttl ms, updatedAt, stream max length, then four per job: id, count field, audit
//         record JSON without actor ('' for a check), report JSON.
const RECORD_RESULTS = `
local written = 0
local actor = nil
local counts = {}
local pending = redis.call('EXISTS', KEYS[6]) == 1
local joined = {}
for i = 4, #ARGV, 4 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 3]) == 1 then
    written = written + 1
    local field = ARGV[i + 1]
    counts[field] = (counts[field] or 0) + 1
    if pending and redis.call('SREM', KEYS[6], ARGV[i]) == 1
        and redis.call('SADD', KEYS[4], ARGV[i]) == 1 then
      local instance = string.match(field, '^([^|]*)|')
      joined[instance] = (joined[instance] or 0) + 1
    end
    if ARGV[i + 2] ~= '' then
      if actor == nil then
        actor = redis.call('HGET', KEYS[3], 'actor')
        if not actor then actor = 'unknown' end
      end
      redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[3], '*', 'actor', actor,
        'record', ARGV[i + 2])
    end
  end
end
for field, n in pairs(counts) do redis.call('HINCRBY', KEYS[2], field, n) end
for instance, n in pairs(joined) do
  redis.call('HINCRBY', KEYS[3], 'total', n)
  redis.call('HINCRBY', KEYS[3], 'total|' .. instance, n)
end
if written > 0 then redis.call('HSET', KEYS[3], 'updatedAt', ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[4], ARGV[1])
return written
`;

// Counts jobs of one instance that are now on the queue: each id leaves pending and joins
// jobs (and the total) once, whoever sees it first — this, or a job end recorded meanwhile.
//   KEYS: meta, jobs, pending
//   ARGV: ttl ms, enqueuedAt, instance, then the job ids.
const CONFIRM_ENQUEUED = `
local joined = 0
for i = 4, #ARGV do
  if redis.call('SREM', KEYS[3], ARGV[i]) == 1 and redis.call('SADD', KEYS[2], ARGV[i]) == 1 then
    joined = joined + 1
  end
end
if joined > 0 then
  redis.call('HINCRBY', KEYS[1], 'total', joined)
  redis.call('HINCRBY', KEYS[1], 'total|' .. ARGV[3], joined)
end
redis.call('HSET', KEYS[1], 'enqueuedAt', ARGV[2])
for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ARGV[1]) end
return joined
`;

/** Totals of one instance inside a batch. */
export interface InstanceProgress {
  readonly instance: string;
  readonly total: number;
  readonly waiting: number;
  readonly active: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Succeeded jobs by outcome (checks by state). */
  readonly byResult: Readonly<Record<string, number>>;
  /** Failed jobs by error code. */
  readonly byError: Readonly<Record<string, number>>;
}

/** Where a batch stands. */
export interface BatchStatus {
  readonly batchId: string;
  readonly createdAt: string;
  readonly total: number;
  readonly done: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly waiting: number;
  readonly active: number;
  /** Every job counted in `total` has ended, and no enqueue is unconfirmed. */
  readonly finished: boolean;
  /**
   * Jobs an enqueue announced but has not (yet) seen on the queue: not in `total`. Above 0 after
   * an enqueue was cut off (Redis lost midway); enqueuing the batch again confirms them.
   */
  readonly unconfirmed: number;
  /** When an enqueue last put jobs of this batch on the queue. */
  readonly enqueuedAt?: string;
  /** When the batch's jobs run, for a batch scheduled with `--at`. */
  readonly scheduledFor?: string;
  /** When `batch cancel` took the batch's jobs off the queue before they ran. */
  readonly cancelledAt?: string;
  /** How many jobs `batch cancel` took off the queue (no longer in `total`). */
  readonly cancelled?: number;
  readonly instances: readonly InstanceProgress[];
}

type RedisWithRecord = RedisClient & {
  orchesterRecordResults(
    results: string,
    counts: string,
    meta: string,
    jobs: string,
    audit: string,
    pending: string,
    ...args: Array<string | number>
  ): Promise<number>;
  orchesterConfirmEnqueued(
    meta: string,
    jobs: string,
    pending: string,
    ...args: Array<string | number>
  ): Promise<number>;
};

/** The stream entry of a job end that changes membership; '' for a check. */
function auditFieldOf(report: JobReport): string {
  const record = auditRecordOf(report, { actor: '' });
  if (!record) return '';
  const { actor: _set_by_the_script, ...rest } = record;
  return JSON.stringify(rest);
}

/** The field a finished job counts under. */
export function countFieldOf(report: JobReport): string {
  return report.status === 'succeeded'
    ? `${report.instance}|ok|${report.outcome ?? report.state ?? 'done'}`
    : `${report.instance}|failed|${report.error?.code ?? 'ORCH_INTERNAL'}`;
}

/**
 * Batch tracking in Redis: what was enqueued, each job's end (written once), and totals by
 * instance. Everything expires `keep.ageSeconds` after the batch last changed, and only the
 * newest `keep.count` batches are kept.
 */
export class BatchStore {
  private readonly redis: RedisWithRecord;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly keep: Keep,
    private readonly auditMaxLen: number = DEFAULT_AUDIT_STREAM_MAX_LEN,
  ) {
    this.redis = redis as RedisWithRecord;
    if (typeof this.redis.orchesterRecordResults !== 'function') {
      redis.defineCommand('orchesterRecordResults', { numberOfKeys: 6, lua: RECORD_RESULTS });
      redis.defineCommand('orchesterConfirmEnqueued', { numberOfKeys: 3, lua: CONFIRM_ENQUEUED });
    }
  }

  private get ttlMs(): number {
    return this.keep.ageSeconds * 1000;
  }

  /** How long a batch is kept: the kept age, counted from when it runs for a scheduled one. */
  ttlUntil(runAt: number | undefined, now = Date.now()): number {
    return this.ttlMs + Math.max(0, (runAt ?? now) - now);
  }

  /**
   * Announces the jobs of a batch, given by id (each id once), before they are put on the queue:
   * those not yet counted wait in `pending` until `confirmEnqueued` sees them on the queue, so the
   * batch's total never counts a job that is not there. Answers the ids that already have a
   * result, how many are not yet counted (`fresh`), and how many of those an earlier enqueue
   * announced and was cut off before confirming (`resumed`). `actor` (who asked) is kept in the
   * batch's metadata for the audit trail; the first enqueue's stays.
   */
  async register(
    batchId: string,
    jobs: ReadonlyMap<string, MembershipJob>,
    options: { readonly actor?: string; readonly now?: number; readonly runAt?: number } = {},
  ): Promise<{ finishedIds: Set<string>; fresh: number; resumed: number }> {
    const now = options.now ?? Date.now();
    const ttlMs = this.ttlUntil(options.runAt, now);
    const keys = batchKeys(this.prefix, batchId);
    const ids = [...jobs.keys()];
    const [exists, cancelledAt] = await Promise.all([
      this.redis.exists(keys.meta).then((n) => n === 1),
      this.redis.hget(keys.meta, 'cancelledAt'),
    ]);
    // Its jobs were taken back on purpose: enqueuing it again would bring them back unseen.
    if (cancelledAt)
      throw new InvalidInputError(
        `batch ${batchId} was cancelled ${cancelledAt}; enqueue it under a new batch id`,
      );
    let fresh = ids;
    let resumed = 0;
    const finishedIds = new Set<string>();
    if (exists && ids.length > 0) {
      const [known, announced, done] = await Promise.all([
        this.redis.smismember(keys.jobs, ...ids),
        this.redis.smismember(keys.pending, ...ids),
        this.redis.hmget(keys.results, ...ids),
      ]);
      fresh = ids.filter((_id, i) => known[i] !== 1);
      resumed = announced.reduce((n: number, v) => n + (v === 1 ? 1 : 0), 0);
      done.forEach((v, i) => {
        if (v !== null) finishedIds.add(ids[i]!);
      });
    }
    const multi = this.redis.multi();
    multi.hsetnx(keys.meta, 'createdAt', new Date(now).toISOString());
    multi.hset(keys.meta, 'updatedAt', new Date(now).toISOString());
    if (options.actor) multi.hsetnx(keys.meta, 'actor', options.actor);
    if (options.runAt !== undefined)
      multi.hset(keys.meta, 'scheduledFor', new Date(options.runAt).toISOString());
    if (fresh.length > 0) multi.sadd(keys.pending, ...fresh);
    for (const key of [keys.meta, keys.jobs, keys.pending, keys.results, keys.counts])
      multi.pexpire(key, ttlMs);
    await multi.exec();
    // Ranked by when it runs: a batch waiting for its time is not the first one dropped.
    if (!exists) await this.index(batchId, Math.max(now, options.runAt ?? now), now);
    return { finishedIds, fresh: fresh.length, resumed };
  }

  /**
   * Counts jobs of one instance that `addBulk` has put on the queue: each joins the total once
   * (a job that already ended, or was counted by an earlier enqueue, is not counted again).
   * Answers how many joined.
   */
  confirmEnqueued(
    batchId: string,
    instance: string,
    ids: readonly string[],
    now = Date.now(),
    ttlMs = this.ttlMs,
  ): Promise<number> {
    const keys = batchKeys(this.prefix, batchId);
    return this.redis.orchesterConfirmEnqueued(
      keys.meta,
      keys.jobs,
      keys.pending,
      ttlMs,
      new Date(now).toISOString(),
      instance,
      ...ids,
    );
  }

  /** Adds the batch to the index and drops the oldest batches beyond the kept count or age. */
  private async index(batchId: string, rank: number, now: number): Promise<void> {
    const index = batchIndexKey(this.prefix);
    await this.redis.zadd(index, String(rank), batchId);
    await this.redis.zremrangebyscore(index, '-inf', String(now - this.ttlMs));
    const excess = (await this.redis.zcard(index)) - this.keep.count;
    if (excess > 0) {
      const old = await this.redis.zrange(index, '0', String(excess - 1));
      for (const id of old) {
        const k = batchKeys(this.prefix, id);
        // One DEL per batch: its keys share a slot, different batches may not.
        await this.redis.del(k.meta, k.jobs, k.pending, k.results, k.counts, k.changes);
      }
      await this.redis.zrem(index, ...old);
    }
  }

  /** Records a job's end once (and its audit record, for add/remove). */
  async record(report: JobReport): Promise<void> {
    await this.recordMany(report.batchId, [report]);
  }

  /**
   * Records the ends of jobs of one batch in one round trip, each once; answers how many were
   * new (a second delivery of a job already recorded writes nothing). The command is sent
   * before this returns, with nothing awaited first: the recorder relies on that to put an end
   * ahead of its job's completion on the connection.
   */
  async recordMany(batchId: string, reports: readonly JobReport[]): Promise<number> {
    const keys = batchKeys(this.prefix, batchId);
    const args: Array<string | number> = [
      this.ttlMs,
      reports[reports.length - 1]?.finishedAt ?? new Date().toISOString(),
      this.auditMaxLen,
    ];
    for (const report of reports) {
      if (report.batchId !== batchId) throw new Error('recordMany: reports of another batch');
      args.push(report.jobId, countFieldOf(report), auditFieldOf(report), storedReportOf(report));
    }
    return this.redis.orchesterRecordResults(
      keys.results,
      keys.counts,
      keys.meta,
      keys.jobs,
      auditStreamKey(this.prefix),
      keys.pending,
      ...args,
    );
  }

  /** The batch's totals, or undefined when no such batch exists (or it expired). */
  async status(
    batchId: string,
    activeByInstance: ReadonlyMap<string, number> = new Map(),
  ): Promise<BatchStatus | undefined> {
    const keys = batchKeys(this.prefix, batchId);
    const [meta, counts, unconfirmed] = await Promise.all([
      this.redis.hgetall(keys.meta),
      this.redis.hgetall(keys.counts),
      this.redis.scard(keys.pending),
    ]);
    if (!meta.createdAt) return undefined;
    const instances = new Map<
      string,
      { total: number; byResult: Record<string, number>; byError: Record<string, number> }
    >();
    const entry = (name: string) => {
      let e = instances.get(name);
      if (!e) {
        e = { total: 0, byResult: {}, byError: {} };
        instances.set(name, e);
      }
      return e;
    };
    for (const [field, value] of Object.entries(meta)) {
      if (field.startsWith('total|')) entry(field.slice('total|'.length)).total = Number(value);
    }
    for (const [field, value] of Object.entries(counts)) {
      const [instance, kind, key] = field.split('|');
      if (!instance || !kind || !key) continue;
      const e = entry(instance);
      if (kind === 'ok') e.byResult[key] = Number(value);
      else e.byError[key] = Number(value);
    }
    const rows: InstanceProgress[] = [...instances.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([instance, e]) => {
        const succeeded = sum(e.byResult);
        const failed = sum(e.byError);
        const active = Math.min(
          activeByInstance.get(instance) ?? 0,
          Math.max(0, e.total - succeeded - failed),
        );
        return {
          instance,
          total: e.total,
          active,
          waiting: Math.max(0, e.total - succeeded - failed - active),
          succeeded,
          failed,
          byResult: e.byResult,
          byError: e.byError,
        };
      });
    const total = Number(meta.total ?? 0);
    const succeeded = rows.reduce((n, r) => n + r.succeeded, 0);
    const failed = rows.reduce((n, r) => n + r.failed, 0);
    const active = rows.reduce((n, r) => n + r.active, 0);
    return {
      batchId,
      createdAt: meta.createdAt,
      total,
      done: succeeded + failed,
      succeeded,
      failed,
      active,
      waiting: Math.max(0, total - succeeded - failed - active),
      finished: unconfirmed === 0 && succeeded + failed >= total,
      unconfirmed,
      ...(meta.enqueuedAt ? { enqueuedAt: meta.enqueuedAt } : {}),
      ...(meta.scheduledFor ? { scheduledFor: meta.scheduledFor } : {}),
      ...(meta.cancelledAt
        ? { cancelledAt: meta.cancelledAt, cancelled: Number(meta.cancelled ?? 0) }
        : {}),
      instances: rows,
    };
  }

  /** The ids of the batch's jobs that have not ended (announced or on the queue). */
  async unendedIds(batchId: string): Promise<string[]> {
    const keys = batchKeys(this.prefix, batchId);
    const [jobs, pending, ended] = await Promise.all([
      this.redis.smembers(keys.jobs),
      this.redis.smembers(keys.pending),
      this.redis.hkeys(keys.results),
    ]);
    const done = new Set(ended);
    return [...new Set([...jobs, ...pending])].filter((id) => !done.has(id)).sort();
  }

  /** When the batch was cancelled, or undefined. */
  async cancelledAt(batchId: string): Promise<string | undefined> {
    return (
      (await this.redis.hget(batchKeys(this.prefix, batchId).meta, 'cancelledAt')) ?? undefined
    );
  }

  /**
   * Marks the batch cancelled, before its jobs are taken off the queue: a scheduled job a worker
   * takes meanwhile sees the mark and does not run. Answers false when it already was.
   */
  async markCancelled(batchId: string, now = Date.now()): Promise<boolean> {
    const meta = batchKeys(this.prefix, batchId).meta;
    return (await this.redis.hsetnx(meta, 'cancelledAt', new Date(now).toISOString())) === 1;
  }

  /**
   * Records that `batch cancel` took these jobs off the queue before they ran: they leave the
   * batch's total (so it can finish), and the batch says how many.
   */
  async recordCancelled(
    batchId: string,
    removed: ReadonlyMap<string, readonly string[]>,
    now = Date.now(),
  ): Promise<void> {
    const keys = batchKeys(this.prefix, batchId);
    // Only jobs confirmed on the queue are in the total; announced ones are only pending.
    const counted = new Map<string, number>();
    for (const [instance, ids] of removed) {
      if (ids.length === 0) continue;
      const known = await this.redis.smismember(keys.jobs, ...ids);
      counted.set(instance, known.filter((k) => k === 1).length);
    }
    const multi = this.redis.multi();
    let n = 0;
    for (const [instance, ids] of removed) {
      if (ids.length === 0) continue;
      n += ids.length;
      const inTotal = counted.get(instance) ?? 0;
      multi.srem(keys.jobs, ...ids);
      multi.srem(keys.pending, ...ids);
      if (inTotal > 0) {
        multi.hincrby(keys.meta, 'total', -inTotal);
        multi.hincrby(keys.meta, `total|${instance}`, -inTotal);
      }
    }
    multi.hincrby(keys.meta, 'cancelled', n);
    multi.hset(keys.meta, 'updatedAt', new Date(now).toISOString());
    await multi.exec();
  }

  /** Every finished job's report, in instance, action, identifier order. */
  async report(batchId: string): Promise<BatchReport | undefined> {
    const keys = batchKeys(this.prefix, batchId);
    if ((await this.redis.exists(keys.meta)) !== 1) return undefined;
    const raw = await this.redis.hgetall(keys.results);
    const jobs = Object.entries(raw)
      .map(
        ([jobId, v]): JobReport => ({
          jobId,
          batchId,
          ...(JSON.parse(v) as Omit<JobReport, 'jobId' | 'batchId'>),
        }),
      )
      .sort(
        (a, b) =>
          a.instance.localeCompare(b.instance) ||
          a.action.localeCompare(b.action) ||
          a.identifier.localeCompare(b.identifier),
      );
    return { batchId, totals: totalsOf(jobs), jobs };
  }
}

function sum(record: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const v of Object.values(record)) n += v;
  return n;
}
