import { BatchStore } from '@orchester/queue';
import type { JobReport, MembershipJob } from '@orchester/runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';

let redis: TestRedis;
let client: Redis;
let store: BatchStore;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
  store = new BatchStore(client, 'orchester', { ageSeconds: 3_600, count: 100 });
});

afterAll(async () => {
  client?.disconnect();
  await redis?.destroy();
});

const jobsOf = (batchId: string, ids: string[]) =>
  new Map<string, MembershipJob>(
    ids.map((id) => [
      `${batchId}.${id}`,
      { instance: 'toy-a', action: 'add', identifier: id, options: {}, batchId },
    ]),
  );

const endOf = (batchId: string, id: string): JobReport => ({
  jobId: `${batchId}.${id}`,
  batchId,
  instance: 'toy-a',
  action: 'add',
  identifier: id,
  status: 'succeeded',
  outcome: 'added',
  attempts: 1,
  finishedAt: new Date().toISOString(),
});

describe('a batch counts only jobs on its queue', () => {
  it('announced jobs join the total when confirmed, or when one ends first, each once', async () => {
    const batchId = 'count-1';
    const jobs = jobsOf(batchId, ['a', 'b', 'c']);
    const ids = [...jobs.keys()];
    expect(await store.register(batchId, jobs)).toMatchObject({ fresh: 3, resumed: 0 });
    expect(await store.status(batchId)).toMatchObject({
      total: 0,
      unconfirmed: 3,
      waiting: 0,
      finished: false,
    });
    // A worker ends "a" before its chunk's confirmation arrives: it was on the queue.
    await store.record(endOf(batchId, 'a'));
    expect(await store.status(batchId)).toMatchObject({ total: 1, done: 1, unconfirmed: 2 });
    expect(await store.confirmEnqueued(batchId, 'toy-a', ids)).toBe(2);
    expect(await store.status(batchId)).toMatchObject({
      total: 3,
      done: 1,
      waiting: 2,
      unconfirmed: 0,
      finished: false,
      instances: [{ instance: 'toy-a', total: 3 }],
    });
    // Confirmed again, or ended twice: nothing is counted twice.
    expect(await store.confirmEnqueued(batchId, 'toy-a', ids)).toBe(0);
    await store.record(endOf(batchId, 'a'));
    await store.record(endOf(batchId, 'b'));
    await store.record(endOf(batchId, 'c'));
    expect(await store.status(batchId)).toMatchObject({ total: 3, done: 3, finished: true });
  });

  it('a re-registration tells new jobs from those a cut-off enqueue left unconfirmed', async () => {
    const batchId = 'count-2';
    const first = jobsOf(batchId, ['a', 'b', 'c']);
    await store.register(batchId, first);
    await store.confirmEnqueued(batchId, 'toy-a', [`${batchId}.a`]);
    // Cut off here: b and c never confirmed. The re-apply brings d too.
    const again = jobsOf(batchId, ['a', 'b', 'c', 'd']);
    expect(await store.register(batchId, again)).toMatchObject({ fresh: 3, resumed: 2 });
    expect(await store.status(batchId)).toMatchObject({ total: 1, unconfirmed: 3 });
    await store.confirmEnqueued(batchId, 'toy-a', [...again.keys()]);
    expect(await store.status(batchId)).toMatchObject({ total: 4, unconfirmed: 0, waiting: 4 });
  });
});
