import { TransientError } from '@orchester/core';
import { createMemoryConnector } from '@orchester/core/testing';
import {
  batchKeys,
  createWorkerRedis,
  openQueueClient,
  RedisChangeJournal,
} from '@orchester/queue';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configWith,
  jobsOf,
  LogSink,
  newBatchId,
  quickSections,
  waitFor,
} from '../test/helpers/harness.js';
import { startRedisReplicated, type TestReplicated } from '../test/helpers/redis-ha.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { startWorker } from './main.js';

let replicated: TestReplicated | undefined;
let single: TestRedis | undefined;
const clients: { disconnect(): void }[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const close of closers.splice(0)) await close();
  await replicated?.destroy();
  await single?.destroy();
  replicated = undefined;
  single = undefined;
});

function journalAt(url: string, replicaWaitMs: number) {
  const redis = createWorkerRedis(url);
  clients.push(redis);
  return new RedisChangeJournal(redis, 'orchester', 60_000, replicaWaitMs);
}

const key = { batchId: 'b1', jobId: 'j1' };

describe('a change note, before its change is sent', () => {
  it('is held by the replica, which a failover would promote', async () => {
    replicated = await startRedisReplicated();
    await journalAt(replicated.url, 2_000).note(key, 'added');
    const replica = new Redis(replicated.replica.port, '127.0.0.1');
    clients.push(replica);
    expect(await replica.hget(batchKeys('orchester', 'b1').changes, 'j1')).toBe('added');
  });

  it('fails the attempt as transient while no replica acknowledges it, and lands once one does', async () => {
    replicated = await startRedisReplicated();
    const journal = journalAt(replicated.url, 300);
    replicated.replica.pause();
    const refused = await journal.note(key, 'added').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TransientError);
    expect((refused as Error).message).toMatch(
      /change note was not confirmed: none of Redis's 1 replicas acknowledged the write within 300 ms.*the change was not sent/,
    );
    replicated.replica.resume();
    // The retry, on a worker that waits as long as the default: the replica catches up first.
    const retry = journalAt(replicated.url, 2_000);
    await retry.note(key, 'added');
    expect(await retry.earlier(key)).toBe('added');
  });

  it('does not wait on a Redis without replicas', async () => {
    single = await startRedis();
    // A wait of a minute would outlast the test's own timeout.
    const journal = journalAt(single.url, 60_000);
    await journal.note(key, 'removed');
    expect(await journal.earlier(key)).toBe('removed');
  });
});

describe('an enqueued batch', () => {
  it('is reported enqueued only once a replica holds it; until then, applying it again is the way out', async () => {
    replicated = await startRedisReplicated();
    const client = await openQueueClient({
      config: configWith({ mem: 'memory' }, {}),
      env: { REDIS_URL: replicated.url },
    });
    closers.push(() => client.close());
    const batchId = newBatchId();
    const jobs = jobsOf(batchId, [
      ['mem', 'add', 'ada'],
      ['mem', 'add', 'bob'],
    ]);
    replicated.replica.pause();
    const refused = await client.enqueueBatch(batchId, jobs).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TransientError);
    expect((refused as Error).message).toMatch(
      /2 of 2 jobs confirmed on the queue; enqueue the same batch id again.*: none of Redis's 1 replicas acknowledged the write within 2000 ms/,
    );
    replicated.replica.resume();
    const again = await client.enqueueBatch(batchId, jobs);
    expect(again.alreadyQueued).toBe(2);
    const replica = new Redis(replicated.replica.port, '127.0.0.1');
    clients.push(replica);
    expect(await replica.scard(batchKeys('orchester', batchId).jobs)).toBe(2);
  });
});

describe('a worker on a Redis with a replica', () => {
  it('sends no change while the replica does not acknowledge its note, then makes it once', async () => {
    replicated = await startRedisReplicated();
    const { connector, service } = createMemoryConnector();
    const config = configWith({ mem: 'memory' }, quickSections());
    const env = { REDIS_URL: replicated.url };
    const client = await openQueueClient({ config, env });
    closers.push(() => client.close());
    const batchId = newBatchId();
    await client.enqueueBatch(batchId, jobsOf(batchId, [['mem', 'add', 'ada']]));

    replicated.replica.pause();
    const worker = await startWorker({
      config,
      env,
      connectors: [connector],
      logDestination: new LogSink(),
    });
    closers.unshift(async () => {
      await worker.stop();
    });
    // Longer than one note waits (2 s): an attempt ran and gave up, and changed nothing.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(service.calls.some((c) => c.action === 'add')).toBe(true);
    expect(service.changes).toEqual([]);

    replicated.replica.resume();
    await waitFor('ada added', () => service.members.has('ada'), 30_000);
    await client.waitForBatch(batchId);
    expect(service.changes).toEqual([{ action: 'add', identifier: 'ada' }]);
    const report = await client.report(batchId);
    expect(report?.jobs.map((j) => j.outcome)).toEqual(['added']);
  });
});
