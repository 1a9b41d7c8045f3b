// A Redis Cluster of three masters with a replica each: the master holding the batch record and
// audit stream (slot `{orchester}`) is killed mid-batch; a replica takes over and the workers
// carry on without a restart.
import { dirname } from 'node:path';
import { type MembershipJob, newBatchId } from '@orchester/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliEndAfterFailover,
  expectBatchFinished,
  expectEachChangeOnce,
  reportRows,
  writeBatchFile,
} from '../test/helpers/batch-checks.js';
import { spawnOrchest } from '../test/helpers/cli.js';
import { LogSink, quickSections, waitFor, writeToyConfig } from '../test/helpers/harness.js';
import { startRedisCluster, type TestCluster } from '../test/helpers/redis-ha.js';
import { startToy, type ToyEmulator } from '../test/helpers/toy.js';
import { type RunningWorker, startWorker } from './main.js';

const INSTANCES = ['toy-a', 'toy-b', 'toy-c', 'toy-d'] as const;
const PER_INSTANCE = 80;

let cluster: TestCluster;
const emulators: Record<string, ToyEmulator> = {};
const workers: RunningWorker[] = [];
let configPath: string;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 1, nodeTimeoutMs: 2_000 });
  const connectors: Record<string, Record<string, unknown>> = {};
  for (const instance of INSTANCES) {
    const emulator = await startToy([]);
    // Writes land at once and answer late, so the kill lands mid-batch.
    emulator.state.answerDelayMs = 150;
    emulators[instance] = emulator;
    connectors[instance] = { ...emulator.configBlock(), timeout_ms: 5_000 };
  }
  configPath = writeToyConfig(
    connectors,
    quickSections({ redis: { cluster: { nodes: cluster.urls } }, actor: 'failover-tester' }),
  );
  for (let i = 0; i < 2; i++)
    workers.push(await startWorker({ configPath, env: {}, logDestination: new LogSink() }));
}, 90_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
  for (const e of Object.values(emulators)) await e.close().catch(() => undefined);
  await cluster?.destroy();
}, 60_000);

describe('a Redis Cluster with replicas', () => {
  it('survives the batch record master being killed mid-batch: failover, no job lost, none done twice', async () => {
    const batchId = newBatchId();
    const jobs: MembershipJob[] = INSTANCES.flatMap((instance) =>
      Array.from({ length: PER_INSTANCE }, (_, i) => ({
        instance,
        action: 'add' as const,
        identifier: `${instance}-p${i}`,
        options: {},
        batchId,
      })),
    );
    const file = writeBatchFile(dirname(configPath), 'batch.json', jobs);
    const victim = await cluster.masterOf('{orchester}');

    const cli = spawnOrchest(
      ['batch', 'apply', file, '--id', batchId, '--wait', '--json'],
      configPath,
    );
    const changes = () => Object.values(emulators).reduce((n, e) => n + e.state.changes.length, 0);
    await waitFor('the batch to be under way', () => changes() >= 60, 60_000);
    // Replication is asynchronous: a replica that has not yet received the batch record (a busy
    // machine can hold one back for seconds) takes over without it. The test kills the master
    // once a replica has everything written so far; the writes of jobs still running are
    // what it may lose.
    await cluster.replicaCaughtUp(victim);
    await victim.kill();
    const killedAt = changes();

    const ended = await cliEndAfterFailover(cli, batchId, configPath);
    expect(ended.stderr).not.toMatch(/MOVED|internal error/);
    expect(ended.code, ended.stderr.slice(-800)).toBe(0);
    // The kill landed mid-batch.
    expect(killedAt).toBeLessThan(jobs.length);
    // The replica took over the batch record's slot.
    expect((await cluster.masterOf('{orchester}')).port).not.toBe(victim.port);

    await expectBatchFinished(batchId, jobs.length, configPath);
    // Each person added once at the service, whatever ran twice in the workers.
    expectEachChangeOnce(emulators, PER_INSTANCE);
    const rows = await reportRows(batchId, configPath);
    expect(rows).toHaveLength(jobs.length);
    // A job whose end was not yet recorded when the master died ran again and found its
    // person already added.
    for (const row of rows) expect(['added', 'already-member']).toContain(row.outcome);
  }, 120_000);
});
