// A master, a replica and three sentinels: the master is killed mid-batch, the sentinels promote
// the replica, and the worker follows without a restart.
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
import { startRedisSentinel, type TestSentinel } from '../test/helpers/redis-ha.js';
import { startToy, type ToyEmulator } from '../test/helpers/toy.js';
import { type RunningWorker, startWorker } from './main.js';

const INSTANCES = ['toy-a', 'toy-b'] as const;
const PER_INSTANCE = 120;

let sentinel: TestSentinel;
const emulators: Record<string, ToyEmulator> = {};
let worker: RunningWorker | undefined;
let configPath: string;

beforeAll(async () => {
  sentinel = await startRedisSentinel({ downAfterMs: 2_000, failoverTimeoutMs: 5_000 });
  const connectors: Record<string, Record<string, unknown>> = {};
  for (const instance of INSTANCES) {
    // Half of each instance's people are members already: the batch removes them.
    const emulator = await startToy(
      Array.from({ length: PER_INSTANCE / 2 }, (_, i) => `${instance}-old${i}`),
    );
    // Writes land at once and answer late, so the kill lands mid-batch.
    emulator.state.answerDelayMs = 150;
    emulators[instance] = emulator;
    connectors[instance] = { ...emulator.configBlock(), timeout_ms: 5_000 };
  }
  configPath = writeToyConfig(
    connectors,
    quickSections({
      redis: { sentinel: { name: sentinel.name, nodes: sentinel.urls } },
      actor: 'sentinel-tester',
    }),
  );
  worker = await startWorker({ configPath, env: {}, logDestination: new LogSink() });
}, 90_000);

afterAll(async () => {
  await worker?.stop().catch(() => undefined);
  for (const e of Object.values(emulators)) await e.close().catch(() => undefined);
  await sentinel?.destroy();
}, 60_000);

describe('Redis Sentinel', () => {
  it('follows a failover mid-batch without a restart: no job lost, none done twice at the service, status and report right', async () => {
    const batchId = newBatchId();
    const jobs: MembershipJob[] = INSTANCES.flatMap((instance) => [
      ...Array.from({ length: PER_INSTANCE / 2 }, (_, i) => ({
        instance,
        action: 'add' as const,
        identifier: `${instance}-new${i}`,
        options: {},
        batchId,
      })),
      ...Array.from({ length: PER_INSTANCE / 2 }, (_, i) => ({
        instance,
        action: 'remove' as const,
        identifier: `${instance}-old${i}`,
        options: {},
        batchId,
      })),
    ]);
    const file = writeBatchFile(dirname(configPath), 'batch.json', jobs);
    const firstMaster = await sentinel.masterPort();
    expect(firstMaster).toBe(sentinel.master.port);

    const cli = spawnOrchest(
      ['batch', 'apply', file, '--id', batchId, '--wait', '--json'],
      configPath,
    );
    const changes = () => Object.values(emulators).reduce((n, e) => n + e.state.changes.length, 0);
    await waitFor('the batch to be under way', () => changes() >= 40, 60_000);
    await sentinel.master.kill();
    const killedAt = changes();

    const ended = await cliEndAfterFailover(cli, batchId, configPath);
    expect(ended.code, ended.stderr.slice(-800)).toBe(0);
    // The kill landed mid-batch, and the sentinels promoted the replica.
    expect(killedAt).toBeLessThan(jobs.length);
    expect(await sentinel.masterPort()).toBe(sentinel.replica.port);

    await expectBatchFinished(batchId, jobs.length, configPath);
    // The emulator's log: each person added or removed once, whatever ran twice in the worker.
    expectEachChangeOnce(emulators, PER_INSTANCE);
    for (const [instance, emulator] of Object.entries(emulators)) {
      const writes = emulator.requests.filter(
        (r) =>
          (r.method === 'PUT' && r.status === 201) || (r.method === 'DELETE' && r.status === 204),
      );
      expect(writes, instance).toHaveLength(PER_INSTANCE);
      expect([...emulator.state.members].sort()).toEqual(
        Array.from({ length: PER_INSTANCE / 2 }, (_, i) => `${instance}-new${i}`).sort(),
      );
    }
    const rows = await reportRows(batchId, configPath);
    expect(rows).toHaveLength(jobs.length);
    // A job whose end the old master took with it ran again and found its change in place.
    for (const row of rows) {
      if (row.action === 'add') expect(['added', 'already-member']).toContain(row.outcome);
      else expect(['removed', 'not-member']).toContain(row.outcome);
    }
  }, 120_000);
});
