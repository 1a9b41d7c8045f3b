import { NotFoundError, RateLimitedError, TransientError } from '@orchester/core';
import { createMemoryConnector } from '@orchester/core/testing';
import {
  batchKeys,
  openQueueClient,
  type QueueClient,
  queuePrefix,
  readAuditStream,
} from '@orchester/queue';
import { membershipJobId } from '@orchester/runtime';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configWith,
  jobsOf,
  LogSink,
  newBatchId,
  quickSections,
  waitFor,
} from '../test/helpers/harness.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { type RunningWorker, startWorker } from './main.js';

let redis: TestRedis;
let worker: RunningWorker;
let client: QueueClient;
let raw: Redis;
const logs = new LogSink();
const { connector, service } = createMemoryConnector({ members: { ada: 'member' } });
const env = () => ({ REDIS_URL: redis.url });
const config = () => configWith({ mem: 'memory' }, quickSections());

beforeAll(async () => {
  redis = await startRedis();
  worker = await startWorker({
    config: config(),
    env: env(),
    connectors: [connector],
    logDestination: logs,
  });
  client = await openQueueClient({ config: config(), env: env() });
  raw = new Redis(redis.url);
});

afterAll(async () => {
  await client?.close();
  await worker?.stop();
  raw?.disconnect();
  await redis?.destroy();
});

describe('worker with the in-memory connector', () => {
  it('pauses the queue for Retry-After on a 429 and spends no attempt', async () => {
    service.failures.push(new RateLimitedError('slow down', 1_500));
    const batchId = newBatchId();
    const [job] = jobsOf(batchId, [['mem', 'add', 'bob']]);
    const calls = () => service.calls.filter((c) => c.identifier === 'bob');
    await client.enqueueBatch(batchId, [job!]);
    await waitFor('the first call', () => calls().length === 1);
    const queue = new Queue('mem', { connection: raw, prefix: queuePrefix('orchester', 'mem') });
    try {
      const ttl = await waitFor('the rate limit', async () => {
        const t = await queue.getRateLimitTtl(1);
        return t > 0 ? t : undefined;
      });
      // The memory connector declares no rate: its queue had no limit (no Redis work per job
      // for one) until this 429 put a stand-in in the queue's metadata, for every worker.
      expect(await queue.getGlobalRateLimit()).toEqual({ max: 1_000_000, duration: 1_000 });
      expect(ttl).toBeGreaterThan(1_000);
      expect(ttl).toBeLessThanOrEqual(1_500);
      const waiting = await waitFor('the job back in wait', async () => {
        const j = await queue.getJob(membershipJobId(job!));
        return j && ['wait', 'waiting'].includes(await j.getState()) ? j : undefined;
      });
      expect(waiting.attemptsMade).toBe(0);
      // Nothing runs during the pause.
      await new Promise((r) => setTimeout(r, 700));
      expect(calls()).toHaveLength(1);
      const status = await client.waitForBatch(batchId, { intervalMs: 50 });
      expect(status?.succeeded).toBe(1);
      const report = await client.report(batchId);
      expect(report?.jobs[0]).toMatchObject({ status: 'succeeded', outcome: 'added', attempts: 1 });
      expect(calls()).toHaveLength(2);
    } finally {
      await queue.close();
    }
  });

  it('paces an instance with a declared rate evenly, and lifts a stale BullMQ limit', async () => {
    const rate = { max: 20, durationMs: 1_000 };
    const { connector: rated, service: ratedService } = createMemoryConnector({
      limits: { concurrency: 10, rate },
    });
    const startedAt: number[] = [];
    const call = ratedService.next.bind(ratedService);
    ratedService.next = (action, identifier) => {
      startedAt.push(performance.now());
      call(action, identifier);
    };
    const queue = new Queue('rated', {
      connection: raw,
      prefix: queuePrefix('orchester', 'rated'),
    });
    // An earlier version kept declared rates in the queue's metadata: a stale 7/s would throttle.
    await queue.setGlobalRateLimit(7, 1_000);
    const config = configWith({ rated: 'memory' }, quickSections());
    const w = await startWorker({ config, env: env(), connectors: [rated], logDestination: logs });
    const c = await openQueueClient({ config, env: env() });
    try {
      expect(await queue.getGlobalRateLimit()).toEqual({ max: 1_000_000, duration: 1_000 });
      const batchId = newBatchId();
      const rows = Array.from({ length: 30 }, (_, i): [string, 'add', string] => [
        'rated',
        'add',
        `p${i}`,
      ]);
      await c.enqueueBatch(batchId, jobsOf(batchId, rows));
      expect(await c.waitForBatch(batchId, { intervalMs: 50 })).toMatchObject({ succeeded: 30 });
      expect(startedAt).toHaveLength(30);
      // Paced at 95% of the rate (52.6 ms apart; the schedule itself is checked in
      // pacer.int.test.ts), so no second holds more than 20, and 30 calls span over a second
      // where unpaced ones would take a few milliseconds. (Timer delays on a busy machine only
      // push a start later, so no tighter bound on the gaps is sound here.)
      expect(startedAt.at(-1)! - startedAt[0]!).toBeGreaterThan(1_000);
      for (const t of startedAt)
        expect(startedAt.filter((u) => u >= t && u < t + 1_000).length).toBeLessThanOrEqual(20);
    } finally {
      await c.close();
      await w.stop();
      await queue.close();
    }
  });

  it('puts a job aside as delayed, no attempt spent, when its paced start is far off', async () => {
    // One call a minute: the second job's start is about a minute away, beyond the 5 s a job
    // is held waiting.
    const { connector: slow, service: slowService } = createMemoryConnector({
      limits: { concurrency: 2, rate: { max: 1, durationMs: 60_000 } },
    });
    const config = configWith({ slow: 'memory' }, quickSections());
    const w = await startWorker({ config, env: env(), connectors: [slow], logDestination: logs });
    const c = await openQueueClient({ config, env: env() });
    const queue = new Queue('slow', { connection: raw, prefix: queuePrefix('orchester', 'slow') });
    try {
      const batchId = newBatchId();
      const jobs = jobsOf(batchId, [
        ['slow', 'add', 'first'],
        ['slow', 'add', 'second'],
      ]);
      await c.enqueueBatch(batchId, jobs);
      const delayed = await waitFor('one job delayed', async () => {
        const [job] = await queue.getDelayed();
        return job;
      });
      expect(delayed.attemptsMade).toBe(0);
      // Put aside until about when its start comes: the pacer's interval, 60 s / 0.95.
      const until = delayed.timestamp + delayed.delay - Date.now();
      expect(until).toBeGreaterThan(50_000);
      expect(until).toBeLessThan(70_000);
      const status = await waitFor('the first job done', async () => {
        const st = await c.status(batchId);
        return st?.succeeded === 1 ? st : undefined;
      });
      expect(status).toMatchObject({ failed: 0, waiting: 1 });
      expect(slowService.calls.map((call) => call.identifier)).toHaveLength(1);
    } finally {
      await queue.close();
      await c.close();
      await w.stop();
    }
  });

  it('keeps finished jobs and batch reports by the configured count', async () => {
    const { connector: kept, service: keptService } = createMemoryConnector();
    keptService.failures.push(...Array.from({ length: 4 }, () => new NotFoundError('nobody')));
    const config = configWith(
      { kept: 'memory' },
      quickSections({
        worker: {
          ...(quickSections().worker as object),
          keep_completed: { age_seconds: 3_600, count: 5 },
          keep_failed: { age_seconds: 3_600, count: 2 },
        },
        batch: { keep: { age_seconds: 3_600, count: 2 } },
        redis: { prefix: 'kept' },
      }),
    );
    const w = await startWorker({ config, env: env(), connectors: [kept], logDestination: logs });
    const c = await openQueueClient({ config, env: env() });
    const queue = new Queue('kept', { connection: raw, prefix: queuePrefix('kept', 'kept') });
    try {
      const batches: string[] = [];
      for (let b = 0; b < 3; b++) {
        const batchId = newBatchId();
        batches.push(batchId);
        const rows = Array.from({ length: 10 }, (_, i): [string, 'check', string] => [
          'kept',
          'check',
          `k${b}x${i}`,
        ]);
        await c.enqueueBatch(batchId, jobsOf(batchId, rows));
        await c.waitForBatch(batchId, { intervalMs: 50 });
      }
      const counts = await queue.getJobCounts('completed', 'failed');
      expect(counts).toEqual({ completed: 5, failed: 2 });
      // The oldest batch's report is gone; the newest two remain whole.
      expect(await c.report(batches[0]!)).toBeUndefined();
      for (const batchId of batches.slice(1))
        expect((await c.report(batchId))?.jobs).toHaveLength(10);
    } finally {
      await queue.close();
      await c.close();
      await w.stop();
    }
  });

  it('fails a permanent error after exactly one attempt, and retries a transient one', async () => {
    const batchId = newBatchId();
    service.failures.push(new NotFoundError('no such person'));
    await client.enqueueBatch(batchId, jobsOf(batchId, [['mem', 'add', 'nobody']]));
    await client.waitForBatch(batchId, { intervalMs: 50 });
    const report = await client.report(batchId);
    expect(report?.jobs[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'ORCH_NOT_FOUND' },
    });
    expect(service.calls.filter((c) => c.identifier === 'nobody')).toHaveLength(1);

    const again = newBatchId();
    service.failures.push(new TransientError('503'), new TransientError('503'));
    await client.enqueueBatch(again, jobsOf(again, [['mem', 'remove', 'ada']]));
    await client.waitForBatch(again, { intervalMs: 50 });
    expect((await client.report(again))?.jobs[0]).toMatchObject({
      status: 'succeeded',
      outcome: 'removed',
      attempts: 3,
    });
  });

  it("retries as the worker's config says, whatever the enqueuing client's config asks", async () => {
    // The client's config allows 1 attempt; the worker's (quickSections) 12: the worker decides.
    const stingy = await openQueueClient({
      config: configWith({ mem: 'memory' }, quickSections({ retry: { attempts: 1 } })),
      env: env(),
    });
    try {
      const batchId = newBatchId();
      service.failures.push(new TransientError('503'), new TransientError('503'));
      await stingy.enqueueBatch(batchId, jobsOf(batchId, [['mem', 'add', 'gus']]));
      await stingy.waitForBatch(batchId, { intervalMs: 50 });
      expect((await stingy.report(batchId))?.jobs[0]).toMatchObject({
        status: 'succeeded',
        outcome: 'added',
        attempts: 3,
      });
    } finally {
      await stingy.close();
    }
  });

  it('records the end of a job BullMQ failed before the policy did, from the error as data', async () => {
    // A job an older client enqueued with BullMQ attempts of its own (1): BullMQ fails it at
    // its first retryable failure, and the `failed` listener writes its end.
    const { connector: old, service: oldService } = createMemoryConnector();
    const config = configWith({ old: 'memory' }, quickSections({ redis: { prefix: 'old' } }));
    const c = await openQueueClient({ config, env: env() });
    const batchId = newBatchId();
    const [job] = jobsOf(batchId, [['old', 'add', 'fay']]);
    const { jobIds } = await c.enqueueBatch(batchId, [job!]);
    const jobKey = `${queuePrefix('old', 'old')}:old:${jobIds[0]}`;
    await raw.hset(jobKey, 'opts', JSON.stringify({ attempts: 1, backoff: { type: 'orchester' } }));
    oldService.failures.push(new TransientError('the service answered 503'));
    const w = await startWorker({ config, env: env(), connectors: [old], logDestination: logs });
    try {
      await c.waitForBatch(batchId, { intervalMs: 50 });
      expect((await c.report(batchId))?.jobs[0]).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: { code: 'ORCH_TRANSIENT', message: 'the service answered 503' },
      });
    } finally {
      await c.close();
      await w.stop();
    }
  });

  it('records a job that stalled too often as transient, with the change its run had sent', async () => {
    // BullMQ's stalled check marks such a job (`deferredFailure`) and the next worker to take it
    // fails it unrun; the end comes from that field and the change journal, not from any text.
    const { connector: stalled, service: stalledService } = createMemoryConnector();
    const config = configWith({ st: 'memory' }, quickSections({ redis: { prefix: 'st' } }));
    const c = await openQueueClient({ config, env: env() });
    const batchId = newBatchId();
    const { jobIds } = await c.enqueueBatch(batchId, jobsOf(batchId, [['st', 'add', 'hal']]));
    await raw.hset(
      `${queuePrefix('st', 'st')}:st:${jobIds[0]}`,
      'defa',
      'job stalled more than allowable limit',
    );
    await raw.hset(batchKeys('st', batchId).changes, jobIds[0]!, 'invited');
    const w = await startWorker({
      config,
      env: env(),
      connectors: [stalled],
      logDestination: logs,
    });
    try {
      await c.waitForBatch(batchId, { intervalMs: 50 });
      expect((await c.report(batchId))?.jobs[0]).toMatchObject({
        status: 'failed',
        error: { code: 'ORCH_TRANSIENT' },
        change: { outcome: 'invited', confirmed: false },
      });
      expect(stalledService.calls).toHaveLength(0);
    } finally {
      await c.close();
      await w.stop();
    }
  });

  it('runs a batch enqueued twice once', async () => {
    const batchId = newBatchId();
    const jobs = jobsOf(batchId, [
      ['mem', 'add', 'carol'],
      ['mem', 'add', 'dave'],
      ['mem', 'check', 'carol'],
    ]);
    const before = service.calls.length;
    const first = await client.enqueueBatch(batchId, jobs);
    const second = await client.enqueueBatch(batchId, jobs);
    expect(first.jobIds).toEqual(second.jobIds);
    expect(first).toMatchObject({ added: 3, resumed: 0, alreadyQueued: 0, alreadyFinished: 0 });
    expect(second.added).toBe(0);
    expect(second.alreadyQueued + second.alreadyFinished).toBe(3);
    const status = await client.waitForBatch(batchId, { intervalMs: 50 });
    expect(status).toMatchObject({ total: 3, succeeded: 3, failed: 0 });
    // After it finished, a third enqueue finds every job done and adds nothing.
    const third = await client.enqueueBatch(batchId, jobs);
    expect(third).toMatchObject({ enqueued: 0, added: 0, alreadyQueued: 0, alreadyFinished: 3 });
    await new Promise((r) => setTimeout(r, 300));
    expect(service.calls.length - before).toBe(3);
    expect(
      service.changes.filter((c) => c.identifier === 'carol' || c.identifier === 'dave'),
    ).toHaveLength(2);
  });

  it('serves health, readiness, metrics and a dashboard on loopback', async () => {
    expect((await fetch(`${worker.httpUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${worker.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ok: true,
      checks: { redis: 'ok', connectors: 'ok' },
    });
    const metrics = await (await fetch(`${worker.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/orchester_jobs\{queue="mem",state="completed"\} [1-9]/);
    expect(metrics).toMatch(
      /orchester_jobs_finished_total\{instance="mem",action="add",result="succeeded"\} [1-9]/,
    );
    expect(metrics).toContain('orchester_rate_limit_pauses_total{instance="mem"} 1');
    expect(metrics).toContain('orchester_job_attempt_duration_seconds_bucket');
    expect((await fetch(`${worker.httpUrl}/admin/queues`)).status).toBe(200);
  });

  it('audits each add/remove end once, even when a finished job is delivered again', async () => {
    const batchId = newBatchId();
    const jobs = jobsOf(batchId, [
      ['mem', 'add', 'erin'],
      ['mem', 'remove', 'frank'],
      ['mem', 'check', 'erin'],
    ]);
    await client.enqueueBatch(batchId, jobs, { actor: 'alice' });
    await client.waitForBatch(batchId, { intervalMs: 50 });
    const ours = async () =>
      (await readAuditStream(redis.url, { instance: 'mem' })).filter((r) => r.batchId === batchId);
    const first = await ours();
    expect(first.map((r) => [r.actor, r.action, r.identifier, r.outcome])).toEqual([
      ['alice', 'add', 'erin', 'added'],
      ['alice', 'remove', 'frank', 'not-member'],
    ]);
    expect(first.map((r) => r.jobId).sort()).toEqual(
      [membershipJobId(jobs[0]!), membershipJobId(jobs[1]!)].sort(),
    );
    // A forced redelivery: the finished add goes back to the queue and runs a second time.
    const queue = new Queue('mem', { connection: raw, prefix: queuePrefix('orchester', 'mem') });
    try {
      const done = await queue.getJob(membershipJobId(jobs[0]!));
      const calls = () => service.calls.filter((c) => c.identifier === 'erin').length;
      const before = calls();
      await done!.retry('completed');
      await waitFor('the second delivery', async () => {
        const again = await queue.getJob(membershipJobId(jobs[0]!));
        return calls() > before && (await again?.getState()) === 'completed' ? true : undefined;
      });
    } finally {
      await queue.close();
    }
    expect(await ours()).toEqual(first);
    expect(await client.status(batchId)).toMatchObject({ total: 3, done: 3, succeeded: 3 });
    // Filters: by person and since.
    expect((await readAuditStream(redis.url, { person: 'ERIN' })).map((r) => r.jobId)).toContain(
      first[0]!.jobId,
    );
    expect(await readAuditStream(redis.url, { since: new Date(Date.now() + 3_600_000) })).toEqual(
      [],
    );
  });

  it("applies each job's end in Redis before BullMQ completes the job", async () => {
    const batchId = newBatchId();
    const jobs = jobsOf(
      batchId,
      Array.from({ length: 200 }, (_, i): [string, 'check', string] => ['mem', 'check', `w${i}`]),
    );
    // MONITOR lists the commands scripts run, in the order Redis runs them.
    const monitor = await raw.monitor();
    const order: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      const [command, key, field, member] = args.map(String);
      if (command?.toLowerCase() === 'hsetnx' && key?.includes(batchId)) order.push(`end ${field}`);
      if (command?.toLowerCase() === 'zadd' && key?.endsWith(':completed'))
        order.push(`completed ${member}`);
    });
    const ids = jobs.map((j) => membershipJobId(j));
    try {
      await client.enqueueBatch(batchId, jobs);
      await client.waitForBatch(batchId, { intervalMs: 50 });
      // A batch is finished once every end is in; the last completions come just after, and
      // MONITOR's feed reaches this client later still.
      await waitFor('every completion in the MONITOR feed', () => {
        const completed = new Set(order.filter((o) => o.startsWith('completed ')));
        return ids.every((id) => completed.has(`completed ${id}`)) || undefined;
      });
    } finally {
      monitor.disconnect();
    }
    for (const id of ids) {
      const end = order.indexOf(`end ${id}`);
      expect(end, id).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(`completed ${id}`), id).toBeGreaterThan(end);
    }
  });

  it('logs one structured line per job end (at debug: the hot path stays cheap at info)', () => {
    const done = logs.entries.filter((e) => e.msg === 'job done');
    expect(done.length).toBeGreaterThan(3);
    expect(done[0]).toMatchObject({ level: 'debug', instance: 'mem' });
    for (const key of ['jobId', 'batchId', 'action', 'outcome', 'attempt', 'durationMs'])
      expect(done[0]).toHaveProperty(key);
  });
});
