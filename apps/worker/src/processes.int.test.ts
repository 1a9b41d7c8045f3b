import { type ChildProcess, spawn } from 'node:child_process';
import { openQueueClient, type QueueClient, queuePrefix } from '@orchester/queue';
import { type BatchReport, loadConfig, type MembershipJob, newBatchId } from '@orchester/runtime';
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  LogSink,
  quickSections,
  WORKER_BIN,
  waitFor,
  writeToyConfig,
} from '../test/helpers/harness.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { startTcpFront, type TcpFront } from '../test/helpers/tcp-front.js';
import { startToy, type ToyEmulator } from '../test/helpers/toy.js';
import { startWorker } from './main.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

interface Setup {
  redis: TestRedis;
  emulator: ToyEmulator;
  configPath: string;
  client: QueueClient;
}

async function setup(options: {
  aof?: boolean;
  latencyMs: number;
  shutdownMs?: number;
  /** Where the worker reaches the emulator, when not directly. */
  front?: (emulator: ToyEmulator) => Promise<string>;
}): Promise<Setup> {
  const redis = await startRedis({ aof: options.aof ?? false });
  cleanups.push(() => redis.destroy());
  const emulator = await startToy([], { latencyMs: options.latencyMs });
  cleanups.push(() => emulator.close());
  const sections = quickSections();
  const baseUrl = options.front ? await options.front(emulator) : emulator.url;
  const configPath = writeToyConfig(
    { 'toy-a': { ...emulator.configBlock(), base_url: baseUrl, timeout_ms: 5_000 } },
    {
      ...sections,
      worker: { ...(sections.worker as object), shutdown_timeout_ms: options.shutdownMs ?? 10_000 },
    },
  );
  const client = await openQueueClient({
    config: loadConfig({ explicitPath: configPath }),
    env: { REDIS_URL: redis.url },
  });
  cleanups.push(() => client.close());
  return { redis, emulator, configPath, client };
}

function spawnWorker(s: Setup): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, [WORKER_BIN, '--config', s.configPath], {
    env: { ...process.env, REDIS_URL: s.redis.url, ORCHESTER_CONFIG_PATH: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout?.on('data', (c: Buffer) => child.output.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => child.output.push(c.toString()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

const adds = (batchId: string, n: number): MembershipJob[] =>
  Array.from({ length: n }, (_, i) => ({
    instance: 'toy-a',
    action: 'add',
    identifier: `p${i}`,
    options: {},
    batchId,
  }));

async function expectEachAddedOnce(s: Setup, batchId: string, n: number): Promise<BatchReport> {
  const status = await s.client.waitForBatch(batchId, { intervalMs: 200 });
  expect(status).toMatchObject({ total: n, succeeded: n, failed: 0 });
  expect(s.emulator.state.members.size).toBe(n);
  // No membership change happened twice at the service.
  expect(s.emulator.state.changes).toHaveLength(n);
  const report = (await s.client.report(batchId))!;
  // Every person was new, so every change is orchester's: a re-run after a worker died finds
  // the change in place and still reports it as made, never as "already a member".
  for (const row of report.jobs) expect(row.outcome).toBe('added');
  return report;
}

/** Five adds whose changes landed while their answers were still on the way. */
async function changesLandedAnswersPending(s: Setup): Promise<{ batchId: string }> {
  s.emulator.state.answerDelayMs = 60_000;
  const batchId = newBatchId();
  await s.client.enqueueBatch(batchId, adds(batchId, 5));
  await waitFor('all five changes made', () => s.emulator.state.changes.length === 5, 20_000);
  return { batchId };
}

describe('worker processes', () => {
  it('finishes a batch when one of two workers is killed with SIGKILL', async () => {
    const s = await setup({ latencyMs: 40 });
    const first = spawnWorker(s);
    const second = spawnWorker(s);
    await waitFor(
      'both workers ready',
      () => [first, second].every((w) => w.output.join('').includes('worker ready')),
      20_000,
    );
    const batchId = newBatchId();
    await s.client.enqueueBatch(batchId, adds(batchId, 300));
    await waitFor(
      'a third of the batch',
      async () => ((await s.client.status(batchId))?.done ?? 0) >= 100,
      30_000,
    );
    first.kill('SIGKILL');
    expect((await exited(first)).signal).toBe('SIGKILL');
    await expectEachAddedOnce(s, batchId, 300);
    second.kill('SIGTERM');
    expect((await exited(second)).code).toBe(0);
  });

  it('a worker killed after the service made its changes: the re-run reports them as its own, confirmed on a retry', async () => {
    const s = await setup({ latencyMs: 0 });
    const worker = spawnWorker(s);
    await waitFor('worker ready', () => worker.output.join('').includes('worker ready'), 20_000);
    const { batchId } = await changesLandedAnswersPending(s);
    worker.kill('SIGKILL');
    await exited(worker);
    s.emulator.state.answerDelayMs = 0;
    const again = spawnWorker(s);
    const report = await expectEachAddedOnce(s, batchId, 5);
    expect(report.jobs.map((j) => j.confirmedOnRetry)).toEqual([true, true, true, true, true]);
    again.kill('SIGTERM');
    expect((await exited(again)).code).toBe(0);
  });

  it('changes cut off by the drain deadline are reported as made when they run again', async () => {
    const s = await setup({ latencyMs: 0, shutdownMs: 500 });
    const worker = spawnWorker(s);
    await waitFor('worker ready', () => worker.output.join('').includes('worker ready'), 20_000);
    const { batchId } = await changesLandedAnswersPending(s);
    worker.kill('SIGTERM');
    expect((await exited(worker)).code).toBe(0);
    expect(worker.output.join('')).toContain('stopped at the deadline');
    s.emulator.state.answerDelayMs = 0;
    const again = spawnWorker(s);
    const report = await expectEachAddedOnce(s, batchId, 5);
    expect(report.jobs.map((j) => j.confirmedOnRetry)).toEqual([true, true, true, true, true]);
    again.kill('SIGTERM');
    expect((await exited(again)).code).toBe(0);
  });

  it('exits within the deadline plus 1 s when jobs hang, aborting their calls at the deadline', async () => {
    let front: TcpFront | undefined;
    const s = await setup({
      latencyMs: 0,
      shutdownMs: 2_000,
      front: async (emulator) => {
        front = await startTcpFront(emulator.port);
        cleanups.push(() => front!.close());
        return front.url;
      },
    });
    const worker = spawnWorker(s);
    await waitFor('worker ready', () => worker.output.join('').includes('worker ready'), 20_000);
    const { batchId } = await changesLandedAnswersPending(s);
    const hanging = front!.connections.filter((c) => !c.answered);
    expect(hanging.length).toBeGreaterThanOrEqual(5);
    const signalled = Date.now();
    worker.kill('SIGTERM');
    const { code } = await exited(worker);
    const exitedAt = Date.now();
    expect(code).toBe(0);
    // The whole shutdown fits the deadline and at most one second more.
    expect(exitedAt - signalled).toBeLessThan(3_000);
    // The worker hung up on each call in flight at the deadline, not before it.
    for (const c of hanging) {
      expect(c.answered).toBe(false);
      expect(c.clientClosedAt).toBeDefined();
      expect(c.clientClosedAt! - signalled).toBeGreaterThanOrEqual(1_900);
    }
    // It saw its calls end, not just the process: each job went back to the queue, no attempt spent.
    const log = worker.output.join('');
    expect(log.match(/job cut off at the shutdown deadline/g)).toHaveLength(5);
    const queue = new Queue('toy-a', {
      connection: { url: s.redis.url },
      prefix: queuePrefix('orchester', 'toy-a'),
    });
    cleanups.push(() => queue.close());
    const jobs = (await queue.getJobs(['active', 'wait', 'delayed'])).filter((j) =>
      j.id?.startsWith(batchId),
    );
    expect(jobs).toHaveLength(5);
    for (const job of jobs) {
      expect(await job.getState()).not.toBe('active');
      expect(job.attemptsMade).toBe(0);
    }
  });

  it('drains jobs in flight on SIGTERM, exits 0 within the deadline, and the rest runs after a restart', async () => {
    const s = await setup({ latencyMs: 400, shutdownMs: 8_000 });
    const worker = spawnWorker(s);
    await waitFor('worker ready', () => worker.output.join('').includes('worker ready'), 20_000);
    const batchId = newBatchId();
    await s.client.enqueueBatch(batchId, adds(batchId, 100));
    await waitFor(
      'some jobs done',
      async () => ((await s.client.status(batchId))?.done ?? 0) >= 20,
      30_000,
    );
    const inFlight = (await s.client.status(batchId))!.active;
    const started = Date.now();
    worker.kill('SIGTERM');
    const { code } = await exited(worker);
    const took = Date.now() - started;
    expect(code).toBe(0);
    expect(took).toBeLessThan(8_000);
    const after = (await s.client.status(batchId))!;
    // Nothing was left half-done: jobs in flight finished, none is active, the rest waits.
    expect(after.active).toBe(0);
    expect(after.done).toBeGreaterThanOrEqual(20 + inFlight - 1);
    expect(after.done).toBeLessThan(100);
    expect(s.emulator.state.changes).toHaveLength(after.done);
    expect(worker.output.join('')).toContain('every job in flight finished');
    const again = spawnWorker(s);
    await expectEachAddedOnce(s, batchId, 100);
    again.kill('SIGTERM');
    expect((await exited(again)).code).toBe(0);
  });

  it('resumes by itself after Redis is stopped and restarted (AOF on), losing nothing', async () => {
    const s = await setup({ aof: true, latencyMs: 30 });
    const logs = new LogSink();
    const worker = await startWorker({
      configPath: s.configPath,
      env: { REDIS_URL: s.redis.url },
      logDestination: logs,
    });
    cleanups.push(() => worker.stop());
    const batchId = newBatchId();
    await s.client.enqueueBatch(batchId, adds(batchId, 300));
    await waitFor(
      'a third of the batch',
      async () => ((await s.client.status(batchId))?.done ?? 0) >= 100,
      30_000,
    );
    await s.redis.stop();
    await new Promise((r) => setTimeout(r, 1_500));
    await s.redis.start();
    await expectEachAddedOnce(s, batchId, 300);
    expect(logs.lines.some((l) => l.includes('Redis connection trouble'))).toBe(true);
    const ready = await waitFor(
      'ready again',
      async () => (await fetch(`${worker.httpUrl}/readyz`)).status === 200,
      10_000,
    );
    expect(ready).toBe(true);
  });
});
