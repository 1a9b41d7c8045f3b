import type { BatchReport, JobReport, MembershipJob } from '@orchester/core';
import { membershipJobId, totalsOf } from '@orchester/core';
import type { Redis } from 'ioredis';
import { batchIndexKey, batchKeys } from './keys.js';
import type { Keep } from './settings.js';

// Writes a job's end once: a second delivery of the same job (a worker died after the service
// acted) finds the field set and counts nothing, so totals never double.
const RECORD_RESULT = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
  redis.call('HSET', KEYS[3], 'updatedAt', ARGV[5])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
redis.call('PEXPIRE', KEYS[4], ARGV[4])
return 1
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
  readonly finished: boolean;
  readonly instances: readonly InstanceProgress[];
}

type RedisWithRecord = Redis & {
  orchesterRecordResult(
    results: string,
    counts: string,
    meta: string,
    jobs: string,
    jobId: string,
    json: string,
    countField: string,
    ttlMs: number,
    now: string,
  ): Promise<number>;
};

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
    redis: Redis,
    private readonly prefix: string,
    private readonly keep: Keep,
  ) {
    this.redis = redis as RedisWithRecord;
    if (typeof this.redis.orchesterRecordResult !== 'function') {
      redis.defineCommand('orchesterRecordResult', { numberOfKeys: 4, lua: RECORD_RESULT });
    }
  }

  private get ttlMs(): number {
    return this.keep.ageSeconds * 1000;
  }

  /**
   * Registers the jobs of a batch; answers the ones not seen before (re-enqueuing a batch adds
   * only new jobs) and the ids of those that already have a result.
   */
  async register(
    batchId: string,
    jobs: readonly MembershipJob[],
    now = Date.now(),
  ): Promise<{ fresh: MembershipJob[]; finishedIds: Set<string> }> {
    const keys = batchKeys(this.prefix, batchId);
    // A job id counts once, however many rows asked for it.
    const unique = new Map(jobs.map((j) => [membershipJobId(j), j] as const));
    jobs = [...unique.values()];
    const ids = [...unique.keys()];
    const exists = (await this.redis.exists(keys.meta)) === 1;
    let fresh = [...jobs];
    const finishedIds = new Set<string>();
    if (exists && ids.length > 0) {
      const known = await this.redis.smismember(keys.jobs, ...ids);
      fresh = jobs.filter((_j, i) => known[i] !== 1);
      const done = await this.redis.hmget(keys.results, ...ids);
      done.forEach((v, i) => {
        if (v !== null) finishedIds.add(ids[i]!);
      });
    }
    const perInstance = new Map<string, number>();
    for (const job of fresh)
      perInstance.set(job.instance, (perInstance.get(job.instance) ?? 0) + 1);
    const multi = this.redis.multi();
    multi.hsetnx(keys.meta, 'createdAt', new Date(now).toISOString());
    multi.hset(keys.meta, 'updatedAt', new Date(now).toISOString());
    if (fresh.length > 0) {
      multi.sadd(keys.jobs, ...fresh.map((j) => membershipJobId(j)));
      multi.hincrby(keys.meta, 'total', fresh.length);
      for (const [instance, n] of perInstance) multi.hincrby(keys.meta, `total|${instance}`, n);
    }
    for (const key of [keys.meta, keys.jobs, keys.results, keys.counts])
      multi.pexpire(key, this.ttlMs);
    await multi.exec();
    if (!exists) await this.index(batchId, now);
    return { fresh, finishedIds };
  }

  /** Adds the batch to the index and drops the oldest batches beyond the kept count or age. */
  private async index(batchId: string, now: number): Promise<void> {
    const index = batchIndexKey(this.prefix);
    await this.redis.zadd(index, String(now), batchId);
    await this.redis.zremrangebyscore(index, '-inf', String(now - this.ttlMs));
    const excess = (await this.redis.zcard(index)) - this.keep.count;
    if (excess > 0) {
      const old = await this.redis.zrange(index, '0', String(excess - 1));
      for (const id of old) {
        const k = batchKeys(this.prefix, id);
        // One DEL per batch: its keys share a slot, different batches may not.
        await this.redis.del(k.meta, k.jobs, k.results, k.counts);
      }
      await this.redis.zrem(index, ...old);
    }
  }

  /** Records a job's end once. */
  async record(report: JobReport): Promise<void> {
    const keys = batchKeys(this.prefix, report.batchId);
    await this.redis.orchesterRecordResult(
      keys.results,
      keys.counts,
      keys.meta,
      keys.jobs,
      report.jobId,
      JSON.stringify(report),
      countFieldOf(report),
      this.ttlMs,
      report.finishedAt,
    );
  }

  /** The batch's totals, or undefined when no such batch exists (or it expired). */
  async status(
    batchId: string,
    activeByInstance: ReadonlyMap<string, number> = new Map(),
  ): Promise<BatchStatus | undefined> {
    const keys = batchKeys(this.prefix, batchId);
    const [meta, counts] = await Promise.all([
      this.redis.hgetall(keys.meta),
      this.redis.hgetall(keys.counts),
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
      finished: succeeded + failed >= total,
      instances: rows,
    };
  }

  /** Every finished job's report, in instance, action, identifier order. */
  async report(batchId: string): Promise<BatchReport | undefined> {
    const keys = batchKeys(this.prefix, batchId);
    if ((await this.redis.exists(keys.meta)) !== 1) return undefined;
    const raw = await this.redis.hvals(keys.results);
    const jobs = raw
      .map((v) => JSON.parse(v) as JobReport)
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
