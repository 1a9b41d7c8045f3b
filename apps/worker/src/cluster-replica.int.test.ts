// A Redis Cluster of three masters with a replica each. A job's end is written on the batch
// record's node and its completion on its queue's node: the completion waits until a replica
// holds the end, or a failover could keep the completion and lose the end.
import { dirname } from 'node:path';
import { batchKeys, createWorkerRedis, queuePrefix, type RedisClient } from '@orchester/queue';
import { membershipJobId, newBatchId } from '@orchester/runtime';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRows, writeBatchFile } from '../test/helpers/batch-checks.js';
import { orchest } from '../test/helpers/cli.js';
import { LogSink, quickSections, waitFor, writeToyConfig } from '../test/helpers/harness.js';
import {
  type RedisProcess,
  startRedisCluster,
  type TestCluster,
} from '../test/helpers/redis-ha.js';
import { startToy, type ToyEmulator } from '../test/helpers/toy.js';
import { type RunningWorker, startWorker } from './main.js';

let cluster: TestCluster;
let emulator: ToyEmulator;
let worker: RunningWorker | undefined;
let redis: RedisClient;
let paused: RedisProcess | undefined;
let configPath: string;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 1, nodeTimeoutMs: 2_000 });
  emulator = await startToy([]);
  // The change lands at once and its answer comes late: time to stop the replica in between.
  emulator.state.answerDelayMs = 3_000;
  configPath = writeToyConfig(
    { 'toy-a': { ...emulator.configBlock(), timeout_ms: 10_000 } },
    quickSections({ redis: { cluster: { nodes: cluster.urls } } }),
  );
  worker = await startWorker({ configPath, env: {}, logDestination: new LogSink() });
  redis = createWorkerRedis({
    kind: 'cluster',
    nodes: cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port, tls: false })),
  });
}, 90_000);

afterAll(async () => {
  paused?.resume();
  await worker?.stop().catch(() => undefined);
  redis?.disconnect();
  await emulator?.close().catch(() => undefined);
  await cluster?.destroy();
}, 60_000);

describe('a Redis Cluster with replicas', () => {
  it('completes a job only once a replica holds its end, so a failover cannot keep one without the other', async () => {
    const batchId = newBatchId();
    const file = writeBatchFile(dirname(configPath), 'one.json', [
      { instance: 'toy-a', action: 'add', identifier: 'ada' },
    ]);
    const applied = await orchest(['batch', 'apply', file, '--id', batchId], configPath);
    expect(applied.code, applied.stderr).toBe(0);

    await waitFor('the change at the service', () => emulator.state.changes.length === 1, 30_000);
    paused = await cluster.replicaOf(await cluster.masterOf('{orchester}'));
    paused.pause();
    const results = batchKeys('orchester', batchId).results;
    await waitFor('the end on the master', async () => (await redis.hlen(results)) === 1, 30_000);
    // Longer than a replica is waited for (2 s): the attempt gave up waiting, the job is not done.
    await new Promise((r) => setTimeout(r, 2_500));
    const queue = new Queue('toy-a', {
      connection: redis,
      prefix: queuePrefix('orchester', 'toy-a'),
    });
    try {
      const jobId = membershipJobId({
        instance: 'toy-a',
        action: 'add',
        identifier: 'ada',
        batchId,
      });
      expect(await queue.getJobState(jobId)).not.toBe('completed');

      paused.resume();
      paused = undefined;
      await waitFor(
        'the job completed',
        async () => (await queue.getJobState(jobId)) === 'completed',
        30_000,
      );
    } finally {
      await queue.close();
    }
    expect(emulator.state.changes).toEqual([{ action: 'add', user: 'ada' }]);
    const rows = await reportRows(batchId, configPath);
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([['add', 'added']]);
  }, 120_000);
});
