// The worker and the CLI on a real Redis Cluster of three masters (no replicas): a batch across
// four instances with two workers, then a master's process killed.
import { dirname } from 'node:path';
import {
  auditStreamKey,
  batchIndexKey,
  batchKeys,
  openQueueClient,
  type QueueClient,
  queuePrefix,
  readAuditStream,
} from '@orchester/queue';
import { loadConfig, type MembershipJob, newBatchId } from '@orchester/runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBatchFile } from '../test/helpers/batch-checks.js';
import { orchest } from '../test/helpers/cli.js';
import { LogSink, quickSections, waitFor, writeToyConfig } from '../test/helpers/harness.js';
import { startRedisCluster, type TestCluster } from '../test/helpers/redis-ha.js';
import { limitRequests, startToy, type ToyEmulator } from '../test/helpers/toy.js';
import { type RunningWorker, startWorker } from './main.js';

const INSTANCES = ['toy-a', 'toy-b', 'toy-c', 'toy-d'] as const;
/** toy-a's declared rate (requests a second), which its emulator also enforces with 429s. */
const RATE = 25;

let cluster: TestCluster;
const emulators: Record<string, ToyEmulator> = {};
const workers: RunningWorker[] = [];
const logs = [new LogSink(), new LogSink()];
let configPath: string;
let client: QueueClient | undefined;

const old = (instance: string) => Array.from({ length: 40 }, (_, i) => `${instance}-old-${i}`);

/** Per instance: 60 adds, 25 removals, 15 checks. */
function rowsFor(instance: string, batchId: string): MembershipJob[] {
  const job = (action: MembershipJob['action'], identifier: string): MembershipJob => ({
    instance,
    action,
    identifier,
    options: {},
    batchId,
  });
  return [
    ...Array.from({ length: 60 }, (_, i) => job('add', `${instance}-new-${i}`)),
    ...old(instance)
      .slice(0, 25)
      .map((p) => job('remove', p)),
    ...old(instance)
      .slice(25)
      .map((p) => job('check', p)),
  ];
}

const batchFile = (name: string, jobs: readonly MembershipJob[]) =>
  writeBatchFile(dirname(configPath), name, jobs);

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, nodeTimeoutMs: 2_000 });
  const connectors: Record<string, Record<string, unknown>> = {};
  for (const instance of INSTANCES) {
    const emulator = await startToy(old(instance));
    emulators[instance] = emulator;
    connectors[instance] = {
      ...emulator.configBlock(),
      timeout_ms: 2_000,
      ...(instance === 'toy-a' ? { limits: { rate: { max: RATE, duration_ms: 1_000 } } } : {}),
    };
  }
  limitRequests(emulators['toy-a']!, RATE);
  configPath = writeToyConfig(
    connectors,
    quickSections({ redis: { cluster: { nodes: cluster.urls } }, actor: 'cluster-tester' }),
  );
  for (const sink of logs)
    workers.push(await startWorker({ configPath, env: {}, logDestination: sink }));
}, 60_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
  for (const e of Object.values(emulators)) await e.close().catch(() => undefined);
  await cluster?.destroy();
}, 60_000);

describe('a Redis Cluster of three masters', () => {
  it('runs a 400-job batch from the CLI with two workers: every job once, status, audit and the declared rate right', async () => {
    const batchId = newBatchId();
    const jobs = INSTANCES.flatMap((i) => rowsFor(i, batchId));
    const queues = new Set(
      await Promise.all(
        INSTANCES.map(async (i) => (await cluster.masterOf(queuePrefix('orchester', i))).port),
      ),
    );
    // The queues are spread over more than one master: keys of different slots meet.
    expect(queues.size).toBeGreaterThan(1);

    const applied = await orchest(
      ['batch', 'apply', batchFile('batch.json', jobs), '--id', batchId, '--wait', '--json'],
      configPath,
    );
    expect(applied.stderr).not.toMatch(/MOVED|internal error/);
    expect(applied.code).toBe(0);
    const shown = await orchest(['batch', 'status', batchId, '--json'], configPath);
    expect(shown.code).toBe(0);
    const status = JSON.parse(shown.stdout) as Record<string, unknown> & {
      instances: Array<{ instance: string; total: number; byResult: Record<string, number> }>;
    };
    expect(status).toMatchObject({
      total: 400,
      done: 400,
      succeeded: 400,
      failed: 0,
      finished: true,
    });
    for (const row of status.instances) {
      expect(row).toMatchObject({
        total: 100,
        byResult: { added: 60, removed: 25, member: 15 },
      });
    }

    for (const instance of INSTANCES) {
      const emulator = emulators[instance]!;
      // Each change made once at the service: 60 adds and 25 removals, no person twice.
      const changes = emulator.state.changes.map((c) => `${c.action} ${c.user}`);
      expect(changes).toHaveLength(85);
      expect(new Set(changes).size).toBe(85);
      const writes = emulator.requests.filter((r) => r.method !== 'GET' && r.status < 300);
      expect(writes).toHaveLength(85);
    }

    // The declared rate held across both workers: the service's own limit (fixed 1 s windows)
    // answered next to no 429 (a loaded machine can bunch a few requests into one window; the
    // span below is what proves the fleet-wide rate), and both workers ran toy-a's jobs.
    const limited = emulators['toy-a']!.requests.filter((r) => r.status === 429).length;
    expect(limited).toBeLessThanOrEqual(8);
    for (const sink of logs) {
      const done = sink.entries.filter((e) => e.msg === 'job done' && e.instance === 'toy-a');
      expect(done.length).toBeGreaterThan(0);
    }
    const starts = emulators['toy-a']!.requests.map((r) => r.at).sort((a, b) => a - b);
    // 100 requests at 25 a second take about 4 s, however many workers share them.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThan((100 / RATE - 1) * 1_000);

    // One audit record per add and removal, each job once, with who asked.
    const config = loadConfig({ explicitPath: configPath, env: {} });
    const { readQueueSettings } = await import('@orchester/queue');
    const audit = (
      await readAuditStream(readQueueSettings(config, {}).redis, { limit: 100_000 })
    ).filter((r) => r.batchId === batchId);
    expect(audit).toHaveLength(340);
    expect(new Set(audit.map((r) => r.jobId)).size).toBe(340);
    expect(audit.every((r) => r.actor === 'cluster-tester')).toBe(true);

    // The batch record and the audit stream live on the one master that serves slot
    // `{orchester}`, and stay small: under 400 bytes a job for the record, and an audit entry.
    const home = await cluster.masterOf('{orchester}');
    const node = new Redis(home.port, '127.0.0.1');
    try {
      const keys = await node.keys('{orchester}:*');
      const record = batchKeys('orchester', batchId);
      for (const key of [
        record.meta,
        record.jobs,
        record.results,
        record.counts,
        auditStreamKey('orchester'),
        batchIndexKey('orchester'),
      ])
        expect(keys).toContain(key);
      expect(Number(await node.memory('USAGE', record.results))).toBeLessThan(400 * 400);
      expect(Number(await node.memory('USAGE', record.jobs))).toBeLessThan(400 * 150);
      expect(Number(await node.memory('USAGE', auditStreamKey('orchester')))).toBeLessThan(
        340 * 350,
      );
    } finally {
      node.disconnect();
    }
  }, 90_000);

  it('reads the audit trail from the cluster, and refuses a second Redis set-up naming both', async () => {
    const audit = await orchest(['audit', '--instance', 'toy-b', '--json'], configPath);
    expect(audit.stderr).not.toMatch(/MOVED|not shown/);
    expect(audit.code).toBe(0);
    const records = JSON.parse(audit.stdout) as Array<{ instance: string; actor: string }>;
    // toy-b's 60 adds and 25 removals of the first batch.
    expect(records).toHaveLength(85);
    expect(records.every((r) => r.instance === 'toy-b' && r.actor === 'cluster-tester')).toBe(true);

    const both = await orchest(['batch', 'status', 'b1', '--json'], configPath, {
      REDIS_URL: 'redis://:pw-6d1f0c@127.0.0.1:6390',
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('REDIS_URL and redis.cluster are both given; keep one');
    expect(both.stderr).not.toContain('pw-6d1f0c');
  });

  it('with a master killed and no replica, the batch never reports lost work done; applying it again finishes it once', async () => {
    const batchKeysAt = await cluster.masterOf('{orchester}');
    // A queue whose master is not the batch record's: its jobs are lost with that master.
    let victim: (typeof INSTANCES)[number] | undefined;
    for (const i of INSTANCES) {
      if ((await cluster.masterOf(queuePrefix('orchester', i))).port !== batchKeysAt.port) {
        victim = i;
        break;
      }
    }
    if (!victim) throw new Error('every queue shares the batch record master');
    const other = INSTANCES.find((i) => i !== victim && i !== 'toy-a')!;
    const victimMaster = await cluster.masterOf(queuePrefix('orchester', victim));
    const emulator = emulators[victim]!;
    const before = emulator.state.changes.length;
    // Writes answer late, so the kill lands mid-batch.
    emulator.state.answerDelayMs = 250;
    const batchId = newBatchId();
    const add = (instance: string, n: number): MembershipJob[] =>
      Array.from({ length: n }, (_, i) => ({
        instance,
        action: 'add',
        identifier: `${instance}-late-${i}`,
        options: {},
        batchId,
      }));
    const jobs = [...add(victim, 80), ...add(other, 20)];
    const file = batchFile('second.json', jobs);
    expect(
      (await orchest(['batch', 'apply', file, '--id', batchId, '--json'], configPath)).code,
    ).toBe(0);
    await waitFor(
      'the victim to make some changes',
      () => emulator.state.changes.length >= before + 10,
      30_000,
    );
    await victimMaster.kill();

    // The cluster refuses commands (a slot without a master): the CLI says so, no success.
    const seen: string[] = [];
    await waitFor(
      () => `the cluster to notice the dead master (CLI said: ${seen.slice(-3).join(' | ')})`,
      async () => {
        const shown = await orchest(['batch', 'status', batchId, '--json'], configPath);
        seen.push(`${shown.code} ${shown.stderr.slice(0, 300)}`);
        return shown.code !== 0 && /(lost|cannot reach) Redis at cluster/.test(shown.stderr)
          ? shown
          : false;
      },
      30_000,
      500,
    );

    // Back, empty (no persistence): the jobs it held are gone and never end.
    await victimMaster.start();
    await cluster.healthy();
    emulator.state.answerDelayMs = 0;
    client = await openQueueClient({
      config: loadConfig({ explicitPath: configPath, env: {} }),
      env: {},
    });
    await waitFor('the other instance to finish', async () => {
      const s = await client!.status(batchId);
      return s?.instances.find((r) => r.instance === other)?.succeeded === 20;
    });
    // A job in flight at the kill may still record its end (the batch record's master is
    // alive); what never happens is an end for work the service did not see.
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await client.status(batchId);
    expect(later).toMatchObject({ finished: false });
    expect(later!.done).toBeLessThan(later!.total);
    const victimDone = later!.instances.find((r) => r.instance === victim)!.succeeded;
    expect(victimDone).toBeLessThanOrEqual(emulator.state.changes.length - before);

    // Applying the same batch again puts back what was lost. BullMQ 6.7's workers do not take
    // jobs again from a cluster node that came back (their blocking read stays on the old
    // connection), so the workers are restarted, as the README says to.
    const again = await orchest(['batch', 'apply', file, '--id', batchId, '--json'], configPath);
    expect(again.code).toBe(0);
    const { alreadyFinished } = JSON.parse(again.stdout) as { alreadyFinished: number };
    expect(alreadyFinished).toBeGreaterThanOrEqual(later!.done);
    expect(alreadyFinished).toBeLessThan(later!.total);
    const old = workers.splice(0);
    await Promise.all(old.map((w) => w.stop()));
    for (const sink of logs)
      workers.push(await startWorker({ configPath, env: {}, logDestination: sink }));
    const waited = await orchest(['batch', 'status', batchId, '--wait', '--json'], configPath);
    expect(waited.code).toBe(0);
    const final = await client.status(batchId);
    expect(final).toMatchObject({ finished: true, total: 100, done: 100, succeeded: 100 });
    const added = emulator.state.changes.slice(before).map((c) => c.user);
    expect(added).toHaveLength(80);
    expect(new Set(added).size).toBe(80);
  }, 120_000);
});
