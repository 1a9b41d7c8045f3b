import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type BatchStatus, openQueueClient, queuePrefix } from '@orchester/queue';
import { loadConfig } from '@orchester/runtime';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { quickSections, waitFor, writeToyConfig } from '../test/helpers/harness.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { startToy, type ToyEmulator } from '../test/helpers/toy.js';
import { startWorker } from './main.js';

// The CLI as people run it, against a Redis of the test's own.
const CLI = resolve(fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url)));
const run = promisify(execFile);

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

async function orchest(args: string[], config: string, redisUrl: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args, '--config', config], {
      env: { ...process.env, HOME: dirname(config), REDIS_URL: redisUrl },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function spawnCli(args: string[], config: string, redisUrl: string) {
  const child = spawn(process.execPath, [CLI, ...args, '--config', config], {
    env: { ...process.env, HOME: dirname(config), REDIS_URL: redisUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { stdout$: string; stderr$: string };
  child.stdout$ = '';
  child.stderr$ = '';
  child.stdout?.on('data', (c: Buffer) => {
    child.stdout$ += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    child.stderr$ += c.toString();
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });

/** Jobs of the batch in the toy-a queue, whatever their state. */
async function jobsInQueue(url: string, batchId: string): Promise<number> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue('toy-a', { connection, prefix: queuePrefix('orchester', 'toy-a') });
  try {
    const ids = await queue.getRanges(['wait', 'active', 'delayed', 'completed', 'failed'], 0, -1);
    return ids.filter((id) => id.startsWith(`${batchId}.`)).length;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

const TOY_BLOCK = {
  type: 'toy',
  base_url: 'http://127.0.0.1:9',
  token: 'toy-secret-token-5f1c2a9e',
  team: 'core',
};

describe('Redis lost while a large batch is being enqueued', () => {
  // 30,000 rows: large enough that Redis is killed with most of the batch still to add, small
  // enough for a busy 2-core machine (100,000 behave the same, only slower).
  it('counts only jobs on the queue, names the Redis URL, and a re-apply completes it', {
    timeout: 300_000,
  }, async () => {
    const redis = await startRedis({ aof: true });
    cleanups.push(() => redis.destroy());
    const config = writeToyConfig({ 'toy-a': TOY_BLOCK }, quickSections());
    const file = join(dirname(config), 'big.csv');
    const N = 30_000;
    writeFileSync(
      file,
      `instance,action,identifier\n${Array.from({ length: N }, (_, i) => `toy-a,add,user${i}`).join('\n')}\n`,
    );
    const batchId = 'cut-off-1';
    const waitList = `${queuePrefix('orchester', 'toy-a')}:toy-a:wait`;
    const watcher = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    watcher.on('error', () => undefined);
    const cli = spawnCli(['batch', 'apply', file, '--id', batchId], config, redis.url);
    // Killed once jobs reach the queue, with most of the batch still to go.
    await waitFor('jobs on the queue', async () => (await watcher.llen(waitList)) > 0, 60_000, 10);
    await redis.kill();
    watcher.disconnect();
    const code = await exited(cli);
    expect(code).toBe(3);
    expect(cli.stderr$).toContain(`lost Redis at ${redis.url}`);
    expect(cli.stderr$).not.toContain('internal error');
    expect(cli.stderr$).toContain(`--id ${batchId}`);
    expect(cli.stdout$).not.toContain('jobs enqueued');

    await redis.start();
    const inQueue = await jobsInQueue(redis.url, batchId);
    expect(inQueue).toBeGreaterThan(0);
    const shown = await orchest(['batch', 'status', batchId, '--json'], config, redis.url);
    expect(shown.code).toBe(0);
    const status = JSON.parse(shown.stdout) as BatchStatus;
    // Nothing ran (no worker): every job counted is waiting, and each is on the queue.
    expect(status.waiting).toBe(status.total);
    expect(status.total).toBeLessThanOrEqual(inQueue);
    expect(status.unconfirmed).toBeGreaterThan(0);
    expect(status.total + status.unconfirmed).toBe(N);
    expect(status.finished).toBe(false);
    const text = await orchest(['batch', 'status', batchId], config, redis.url);
    expect(text.stdout).toContain(`${status.unconfirmed} jobs not confirmed on the queue`);
    expect(text.stdout).toContain(`--id ${batchId}`);

    const again = await orchest(['batch', 'apply', file, '--id', batchId], config, redis.url);
    expect(again.code).toBe(0);
    const queued = status.total > 0 ? `, ${status.total} already queued` : '';
    expect(again.stdout).toContain(
      `${N} jobs, 0 new (${status.unconfirmed} from an earlier enqueue that was cut off${queued})`,
    );
    expect(await jobsInQueue(redis.url, batchId)).toBe(N);
    const after = JSON.parse(
      (await orchest(['batch', 'status', batchId, '--json'], config, redis.url)).stdout,
    ) as BatchStatus;
    expect(after).toMatchObject({ total: N, waiting: N, unconfirmed: 0 });
  });
});

describe('orchest batch apply again, and --enqueue --wait', () => {
  let redis: TestRedis;
  let emulator: ToyEmulator;
  let config: string;

  const setup = async () => {
    redis = await startRedis();
    cleanups.push(() => redis.destroy());
    emulator = await startToy(['ada']);
    cleanups.push(() => emulator.close());
    config = writeToyConfig({ 'toy-a': emulator.configBlock() }, quickSections());
  };

  it('says how many jobs of a re-applied batch are new', async () => {
    await setup();
    const file = join(dirname(config), 'three.csv');
    writeFileSync(
      file,
      'instance,action,identifier\ntoy-a,add,bob\ntoy-a,add,cy\ntoy-a,check,ada\n',
    );
    const worker = await startWorker({
      configPath: config,
      env: { REDIS_URL: redis.url },
      logDestination: { write() {} },
    });
    try {
      const first = await orchest(
        ['batch', 'apply', file, '--id', 'again-1', '--wait'],
        config,
        redis.url,
      );
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('batch again-1: 3 jobs enqueued');
    } finally {
      await worker.stop();
    }
    writeFileSync(
      file,
      'instance,action,identifier\ntoy-a,add,bob\ntoy-a,add,cy\ntoy-a,check,ada\ntoy-a,add,dee\n',
    );
    const second = await orchest(['batch', 'apply', file, '--id', 'again-1'], config, redis.url);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('batch again-1: 4 jobs, 1 new (3 already finished)');
    const third = await orchest(
      ['batch', 'apply', file, '--id', 'again-1', '--json'],
      config,
      redis.url,
    );
    expect(JSON.parse(third.stdout)).toMatchObject({
      jobs: 4,
      new: 0,
      alreadyQueued: 1,
      alreadyFinished: 3,
    });
  });

  it('--enqueue --wait says within seconds that no worker consumes the queue, without a listener leak', async () => {
    await setup();
    const started = Date.now();
    const cli = spawnCli(['-c', 'toy-a', 'add', 'erin', '--enqueue', '--wait'], config, redis.url);
    await waitFor(
      'the no-worker notice',
      () => cli.stderr$.includes('no worker is consuming'),
      20_000,
    );
    // "A few seconds": the first look is at 2 s.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(cli.stderr$).toContain(
      `no worker is consuming the queue of toy-a (Redis at ${redis.url})`,
    );
    // A worker that starts later is noticed, and the job ends.
    const worker = await startWorker({
      configPath: config,
      env: { REDIS_URL: redis.url },
      logDestination: { write() {} },
    });
    cleanups.push(() => worker.stop());
    expect(await exited(cli)).toBe(0);
    expect(cli.stdout$).toContain('erin');
    expect(cli.stderr$).not.toContain('MaxListenersExceededWarning');
  });
});

describe('waiting for a batch', () => {
  it('leaves no abort listener behind however long it polls', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.destroy());
    const config = loadConfig({ explicitPath: writeToyConfig({ 'toy-a': TOY_BLOCK }, {}) });
    const client = await openQueueClient({ config, env: { REDIS_URL: redis.url } });
    cleanups.push(() => client.close());
    await client.enqueueBatch('never-ends', [
      { instance: 'toy-a', action: 'add', identifier: 'fay', options: {}, batchId: 'never-ends' },
    ]);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const stop = new AbortController();
      let polls = 0;
      const final = await client.waitForBatch('never-ends', {
        intervalMs: 1,
        signal: stop.signal,
        onProgress: () => {
          polls += 1;
          if (polls === 40) stop.abort();
        },
      });
      expect(final?.finished).toBe(false);
      expect(polls).toBe(40);
      // Node reports the leak on the next turn of the event loop.
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
