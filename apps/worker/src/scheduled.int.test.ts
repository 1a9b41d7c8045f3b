// Scheduled offboarding: `offboard --at` and `batch apply --at` put delayed jobs on the worker's
// queue; they survive worker and Redis (AOF) restarts and run at their time, once; `batch
// status` shows them scheduled; `batch cancel` takes them back. The CLI runs as people run it.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { queuePrefix, readAuditStream } from '@orchester/queue';
import { membershipJobId } from '@orchester/runtime';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LogSink, quickSections, waitFor, writeToyConfig } from '../test/helpers/harness.js';
import { freePort, startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { startToy, type ToyEmulator } from '../test/helpers/toy.js';
import { type RunningWorker, startWorker } from './main.js';

const CLI = resolve(fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url)));
const run = promisify(execFile);

let redis: TestRedis;
let emulator: ToyEmulator;
let configPath: string;
const workers: RunningWorker[] = [];

async function orchest(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args, '--config', configPath], {
      env: { ...process.env, HOME: dirname(configPath), REDIS_URL: redis.url, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function worker(): Promise<RunningWorker> {
  const w = await startWorker({
    configPath,
    env: { REDIS_URL: redis.url },
    logDestination: new LogSink(),
  });
  workers.push(w);
  return w;
}

/** `at` as local time at UTC+01:00, the way a person in Paris writes it: 2026-12-31T18:00:05+01:00. */
function inParis(at: number): string {
  return `${new Date(at + 3_600_000).toISOString().slice(0, 19)}+01:00`;
}

const removalsOf = (user: string) =>
  emulator.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/${user}`));

beforeAll(async () => {
  redis = await startRedis({ aof: true });
  emulator = await startToy(['ada', 'bob', 'cy', 'dan']);
  configPath = writeToyConfig({ 'toy-a': emulator.configBlock() }, quickSections());
});

afterEach(async () => {
  while (workers.length > 0) await workers.pop()!.stop();
});

afterAll(async () => {
  await emulator?.close();
  await redis?.destroy();
});

describe('scheduled offboarding', () => {
  it('offboard --at waits on the queue through worker and Redis restarts, then runs at its time, once', async () => {
    const first = await worker();
    // Whole seconds: the time a person types. Far enough ahead for the restarts below.
    const runAt = Math.ceil((Date.now() + 15_000) / 1000) * 1000;
    const scheduled = await orchest([
      'offboard',
      'bob',
      '--identity',
      'toy-a=bob',
      '--instances',
      'toy-a',
      '--at',
      inParis(runAt),
      '--json',
    ]);
    expect(scheduled.stderr).toBe('');
    expect(scheduled.code).toBe(0);
    const out = JSON.parse(scheduled.stdout) as {
      batchId: string;
      scheduledFor: string;
      jobs: Array<{ instance: string; action: string; identifier: string }>;
    };
    expect(out.scheduledFor).toBe(new Date(runAt).toISOString());
    expect(out.jobs).toEqual([{ instance: 'toy-a', action: 'remove', identifier: 'bob' }]);

    const status = await orchest(['batch', 'status', out.batchId]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`scheduled for ${out.scheduledFor}`);
    const json = JSON.parse((await orchest(['batch', 'status', out.batchId, '--json'])).stdout);
    expect(json).toMatchObject({ scheduledFor: out.scheduledFor, total: 1, done: 0 });

    // The worker goes, Redis restarts (AOF), a new worker comes: the delayed job is still there.
    await first.stop();
    workers.pop();
    await redis.stop();
    await redis.start();
    await worker();

    await waitFor(
      'the scheduled batch to end',
      async () =>
        JSON.parse((await orchest(['batch', 'status', out.batchId, '--json'])).stdout).finished,
      60_000,
      500,
    );
    expect(emulator.state.members.has('bob')).toBe(false);
    const removals = removalsOf('bob');
    expect(removals).toHaveLength(1);
    expect(removals[0]!.at).toBeGreaterThanOrEqual(runAt);
    // Audited when it ran, as every queued job is.
    const audit = (await readAuditStream(redis.url)).filter((r) => r.batchId === out.batchId);
    expect(audit.map((r) => `${r.action} ${r.identifier} ${r.outcome}`)).toEqual([
      'remove bob removed',
    ]);
    const report = JSON.parse(
      (await orchest(['batch', 'report', out.batchId, '--format', 'json'])).stdout,
    ) as { jobs: Array<{ identifier: string; outcome: string }> };
    expect(report.jobs.map((j) => `${j.identifier} ${j.outcome}`)).toEqual(['bob removed']);
  });

  it('batch cancel takes a scheduled batch back before it runs; again, or on a batch that ran, says so', async () => {
    await worker();
    const file = join(dirname(configPath), 'later.csv');
    writeFileSync(file, 'instance,action,identifier\ntoy-a,remove,cy\ntoy-a,add,eve\n');
    const inAnHour = inParis(Date.now() + 3_600_000);
    const applied = await orchest(['batch', 'apply', file, '--at', inAnHour, '--id', 'later']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('scheduled for');
    expect(applied.stdout).toContain('orchest batch cancel later');
    // The same batch id again: each job is on the queue once (deterministic ids).
    const twice = await orchest(['batch', 'apply', file, '--at', inAnHour, '--id', 'later']);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain('2 jobs, 0 new (2 already queued)');
    const before = await orchest(['batch', 'status', 'later']);
    expect(before.stdout).toContain('scheduled: 2 jobs wait on the queue until');
    // Kept for the kept age counted from its time (an hour off), not from now.
    const raw = new Redis(redis.url);
    const ttl = await raw.pttl('{orchester}:batch:later:meta');
    raw.disconnect();
    expect(ttl).toBeGreaterThan(30 * 24 * 3_600_000 + 50 * 60_000);

    const cancelled = await orchest(['batch', 'cancel', 'later']);
    expect(cancelled.stderr).toBe('');
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain('batch later: cancelled; 2 jobs taken off the queue');
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('toy-a', { connection, prefix: queuePrefix('orchester', 'toy-a') });
    try {
      for (const [action, identifier] of [
        ['remove', 'cy'],
        ['add', 'eve'],
      ] as const) {
        const id = membershipJobId({ batchId: 'later', instance: 'toy-a', action, identifier });
        expect(await queue.getJob(id)).toBeUndefined();
      }
    } finally {
      await queue.close();
      await connection.quit();
    }
    const after = JSON.parse((await orchest(['batch', 'status', 'later', '--json'])).stdout);
    expect(after).toMatchObject({ cancelled: 2, total: 0, finished: true });
    expect(typeof after.cancelledAt).toBe('string');
    expect((await orchest(['batch', 'status', 'later'])).stdout).toContain(
      '2 jobs taken off the queue before they ran',
    );

    const again = await orchest(['batch', 'cancel', 'later']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`already cancelled ${after.cancelledAt}`);
    // A cancelled batch is not brought back by enqueuing it again.
    const revived = await orchest(['batch', 'apply', file, '--at', inAnHour, '--id', 'later']);
    expect(revived.code).toBe(2);
    expect(revived.stderr).toContain(`batch later was cancelled ${after.cancelledAt}`);
    expect(revived.stderr).not.toContain('once Redis is back');
    expect(
      JSON.parse((await orchest(['batch', 'status', 'later', '--json'])).stdout),
    ).toMatchObject({
      total: 0,
      unconfirmed: 0,
    });

    const now = join(dirname(configPath), 'now.csv');
    writeFileSync(now, 'instance,action,identifier\ntoy-a,add,fay\n');
    expect((await orchest(['batch', 'apply', now, '--id', 'ran', '--wait'])).code).toBe(0);
    const ran = await orchest(['batch', 'cancel', 'ran']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('batch ran already ran (1 job ended); nothing was cancelled');
    const ranJson = await orchest(['batch', 'cancel', 'ran', '--json']);
    expect(ranJson.code).toBe(2);
    expect(JSON.parse(ranJson.stdout)).toMatchObject({
      ok: false,
      batchId: 'ran',
      removed: 0,
      ended: 1,
    });

    expect((await orchest(['batch', 'cancel', 'no-such'])).code).toBe(2);
    const inline = await orchest(['batch', 'apply', now, '--id', 'ran-inline', '--inline']);
    expect(inline.code).toBe(0);
    const inlineCancel = await orchest(['batch', 'cancel', 'ran-inline']);
    expect(inlineCancel.code).toBe(2);
    expect(inlineCancel.stderr).toContain('batch ran-inline ran inline; it already ran');
    expect(emulator.state.members.has('cy')).toBe(true);
    expect(emulator.state.members.has('eve')).toBe(false);
  });

  it('a scheduled job that reaches a worker as its batch is cancelled ends as ORCH_CANCELLED, sending nothing', async () => {
    const file = join(dirname(configPath), 'slipped.csv');
    writeFileSync(file, 'instance,action,identifier\ntoy-a,remove,ada\n');
    const runAt = Date.now() + 2_000;
    const applied = await orchest([
      'batch',
      'apply',
      file,
      '--at',
      inParis(Math.ceil(runAt / 1000) * 1000),
      '--id',
      'slipped',
    ]);
    expect(applied.code).toBe(0);
    // The cancel's mark lands while the job is already due: no worker has removed it yet.
    const raw = new Redis(redis.url);
    await raw.hset('{orchester}:batch:slipped:meta', 'cancelledAt', new Date().toISOString());
    raw.disconnect();
    await waitFor(
      'the job to be due',
      () => Date.now() > Math.ceil(runAt / 1000) * 1000 + 200,
      10_000,
    );
    await worker();
    await waitFor(
      'the slipped job to end',
      async () =>
        JSON.parse((await orchest(['batch', 'status', 'slipped', '--json'])).stdout).finished,
      30_000,
      300,
    );
    const report = JSON.parse(
      (await orchest(['batch', 'report', 'slipped', '--format', 'json'])).stdout,
    ) as { jobs: Array<{ status: string; error?: { code: string } }> };
    expect(report.jobs.map((j) => `${j.status} ${j.error?.code}`)).toEqual([
      'failed ORCH_CANCELLED',
    ]);
    expect(emulator.state.members.has('ada')).toBe(true);
    expect(removalsOf('ada')).toEqual([]);
  });

  it('refuses --at in the past, unreadable, without an offset, with --inline, or without a queue: exit 2, nothing scheduled', async () => {
    const raw = new Redis(redis.url);
    // Batches and jobs, not the worker's own short-lived keys (stalled-check).
    const batchKeys = async () => (await raw.keys('{orchester}:batch*')).sort();
    const jobCounts = async () => {
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const queue = new Queue('toy-a', { connection, prefix: queuePrefix('orchester', 'toy-a') });
      try {
        return await queue.getJobCounts();
      } finally {
        await queue.close();
        await connection.quit();
      }
    };
    const keysBefore = await batchKeys();
    const jobsBefore = await jobCounts();
    const offboard = (at: string, env: Record<string, string> = {}) =>
      orchest(
        ['offboard', 'dan', '--identity', 'toy-a=dan', '--instances', 'toy-a', '--at', at],
        env,
      );

    const past = await offboard('2020-01-01T00:00Z');
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('--at "2020-01-01T00:00Z": that time has passed');
    for (const bad of ['tomorrow', '2026-12-31T18:00', '2026-13-45T99:00+01:00']) {
      const result = await offboard(bad);
      expect(result.code, bad).toBe(2);
      expect(result.stderr, bad).toContain(`--at "${bad}": not a time orchester can read`);
    }
    const file = join(dirname(configPath), 'inline.csv');
    writeFileSync(file, 'instance,action,identifier\ntoy-a,remove,dan\n');
    const inline = await orchest([
      'batch',
      'apply',
      file,
      '--inline',
      '--at',
      inParis(Date.now() + 3_600_000),
    ]);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toContain(
      "--at schedules the batch on the worker's queue; it cannot go with --inline",
    );
    const dry = await orchest([
      'batch',
      'apply',
      file,
      '--dry-run',
      '--at',
      inParis(Date.now() + 3_600_000),
    ]);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('it cannot go with --dry-run');

    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    for (const result of [
      await offboard(inParis(Date.now() + 3_600_000), { REDIS_URL: nowhere }),
      await orchest(['batch', 'apply', file, '--at', inParis(Date.now() + 3_600_000)], {
        REDIS_URL: nowhere,
      }),
    ]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        "--at: scheduled jobs wait on the worker's queue, and there is none",
      );
      expect(result.stderr).toContain(nowhere);
      expect(result.stderr).not.toContain('--inline');
    }
    expect(await batchKeys()).toEqual(keysBefore);
    expect(await jobCounts()).toEqual(jobsBefore);
    raw.disconnect();
    expect(emulator.state.members.has('dan')).toBe(true);
    expect(removalsOf('dan')).toEqual([]);
  });
});
