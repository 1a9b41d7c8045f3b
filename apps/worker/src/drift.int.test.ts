import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RateLimitedError, TransientError } from '@orchester/core';
import { createMemoryConnector } from '@orchester/core/testing';
import { queuePrefix } from '@orchester/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { configWith, LogSink, quickSections, waitFor } from '../test/helpers/harness.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { type RunningWorker, startWorker } from './main.js';

let redis: TestRedis | undefined;
let worker: RunningWorker | undefined;
afterEach(async () => {
  await worker?.stop();
  await redis?.destroy();
  worker = undefined;
  redis = undefined;
});

/** A team where ada is an admin and "old" has left; the roster wants ada and bob. */
function setUp(instance: Record<string, unknown>, name = 'team') {
  const made = createMemoryConnector({
    members: { ada: { state: 'member', role: 'admin' }, old: 'member' },
    changesRoles: true,
  });
  const dir = mkdtempSync(join(tmpdir(), 'orch-drift-'));
  const roster = join(dir, 'team.yaml');
  writeFileSync(
    roster,
    [
      'instances:',
      `  ${name}: ${JSON.stringify({ prune: true, minAdmins: 0, ...instance })}`,
      'people:',
      `  - { name: Ada, email: ada@example.com, identities: { ${name}: ada }, access: { ${name}: admin } }`,
      `  - { name: Bob, email: bob@example.com, identities: { ${name}: bob }, access: [${name}] }`,
    ].join('\n'),
  );
  return { ...made, roster };
}

async function start(
  connector: ReturnType<typeof createMemoryConnector>['connector'],
  drift: Record<string, unknown>,
  logs = new LogSink(),
  sections: Record<string, unknown> = {},
  name = 'team',
) {
  redis ??= await startRedis();
  worker = await startWorker({
    config: configWith({ [name]: 'memory' }, quickSections({ drift, ...sections })),
    env: { REDIS_URL: redis.url },
    connectors: [connector],
    logDestination: logs,
  });
  return worker;
}

async function metric(url: string, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

const driftMetric = (url: string, kind: string, instance = 'team') =>
  metric(url, `orchester_drift_changes{instance="${instance}",kind="${kind}"}`);

/** Until setUp's drift (bob to add, old to remove) is applied and a check finds none left. */
async function waitForDriftApplied(
  service: ReturnType<typeof createMemoryConnector>['service'],
  url: string,
  instance = 'team',
): Promise<void> {
  await waitFor(
    `bob added and old removed on ${instance}`,
    () => service.members.has('bob') && !service.members.has('old'),
  );
  await waitFor(
    'no drift left',
    async () =>
      (await driftMetric(url, 'add', instance)) === 0 &&
      (await driftMetric(url, 'remove', instance)) === 0,
  );
}

describe('scheduled drift checks', () => {
  it('expose the drift in /metrics and change nothing unless told to apply', async () => {
    const { connector, service, roster } = setUp({ maxRemovalRatio: 1 });
    const running = await start(connector, { roster, every: '300ms' });
    await waitFor('a drift check', async () => (await driftMetric(running.httpUrl, 'add')) === 1);
    expect(await driftMetric(running.httpUrl, 'remove')).toBe(1);
    expect(await driftMetric(running.httpUrl, 'change-role')).toBe(0);
    expect(service.changes).toEqual([]);
    expect([...service.members.keys()].sort()).toEqual(['ada', 'old']);
  });

  it('log who drifted, by name, with their team changes, not only counts', async () => {
    const made = createMemoryConnector({
      groups: true,
      members: {
        ada: { state: 'member', role: 'admin', groups: [{ group: 'web', role: 'member' }] },
        old: 'member',
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'orch-drift-'));
    const roster = join(dir, 'team.yaml');
    writeFileSync(
      roster,
      [
        'instances:',
        '  team: { prune: true, minAdmins: 0, maxRemovalRatio: 1 }',
        'people:',
        '  - { name: Ada, email: ada@example.com, identities: { team: ada }, access: { team: { role: admin, teams: ["web:maintainer"] } } }',
        '  - { name: Bob, email: bob@example.com, identities: { team: bob }, access: [team] }',
      ].join('\n'),
    );
    const logs = new LogSink();
    const running = await start(made.connector, { roster, every: '300ms' }, logs);
    const found = await waitFor('a drift log', () =>
      logs.entries.find((e) => e.msg === 'drift found'),
    );
    expect(found.drifted).toEqual([
      {
        instance: 'team',
        kind: 'change-groups',
        identifier: 'ada',
        person: 'Ada',
        fromRole: 'admin',
        groups: ['+web:maintainer'],
      },
      { instance: 'team', kind: 'add', identifier: 'bob', person: 'Bob', toRole: 'member' },
      { instance: 'team', kind: 'remove', identifier: 'old', fromRole: 'member' },
    ]);
    expect(await driftMetric(running.httpUrl, 'change-groups')).toBe(1);
    expect(made.service.changes).toEqual([]);
  });

  it('apply the drift as a batch the worker carries out, then find none', async () => {
    const { connector, service, roster } = setUp({ maxRemovalRatio: 1 });
    const running = await start(connector, { roster, every: '300ms', apply: true });
    await waitForDriftApplied(service, running.httpUrl);
    // Every change made once, however many checks ran meanwhile.
    expect(service.changes).toHaveLength(2);
    expect(service.changes).toEqual(
      expect.arrayContaining([
        { action: 'add', identifier: 'bob' },
        { action: 'remove', identifier: 'old' },
      ]),
    );
    // The worker checked more than once, but queued only what was not already under way.
    const adds = service.calls.filter((c) => c.action === 'add' && c.identifier === 'bob');
    expect(adds).toHaveLength(1);
  });

  it('keep their queue apart from an instance named drift, whose batch its own worker carries out', async () => {
    const { connector, service, roster } = setUp({ maxRemovalRatio: 1 }, 'drift');
    const running = await start(
      connector,
      { roster, every: '300ms', apply: true },
      undefined,
      {},
      'drift',
    );
    await waitForDriftApplied(service, running.httpUrl, 'drift');
    expect(service.changes).toHaveLength(2);
    // The instance's queue, as `orchest` enqueues to it, holds the batch's jobs and no check.
    const connection = new Redis(redis!.url);
    const queue = new Queue('drift', { connection, prefix: queuePrefix('orchester', 'drift') });
    try {
      const jobs = await queue.getJobs(['completed', 'failed', 'wait', 'delayed', 'active']);
      expect(jobs.map((j) => j.name).sort()).toEqual(['add', 'remove']);
      expect(await queue.getJobSchedulersCount()).toBe(0);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('take over the schedule an earlier version kept in the keys of an instance named drift', async () => {
    redis = await startRedis();
    const connection = new Redis(redis.url);
    const earlier = new Queue('drift', { connection, prefix: queuePrefix('orchester', 'drift') });
    try {
      await earlier.upsertJobScheduler('roster-drift', { every: 300 }, { name: 'drift-check' });
      expect(await earlier.getJobSchedulersCount()).toBe(1);
      const { connector, roster } = setUp({ maxRemovalRatio: 1 });
      const running = await start(connector, { roster, every: '300ms' });
      await waitFor('a drift check', async () => (await driftMetric(running.httpUrl, 'add')) === 1);
      expect(await earlier.getJobSchedulersCount()).toBe(0);
      expect(await earlier.getDelayedCount()).toBe(0);
    } finally {
      await earlier.close();
      connection.disconnect();
    }
  });

  it('refuse to apply a plan past a safety limit, and say which', async () => {
    const { connector, service, roster } = setUp({ maxRemovalRatio: 0.1 });
    const logs = new LogSink();
    const running = await start(connector, { roster, every: '300ms', apply: true }, logs);
    await waitFor('a refused check', () => logs.entries.some((e) => Array.isArray(e.refused)));
    const refused = logs.entries.find((e) => Array.isArray(e.refused))?.refused as string[];
    expect(refused[0]).toContain('over maxRemovalRatio 10%');
    expect(await driftMetric(running.httpUrl, 'remove')).toBe(1);
    expect(service.members.has('old')).toBe(true);
    expect(service.members.has('bob')).toBe(false);
  });

  it('read a service again after a 429 or a 5xx, as jobs are retried, so the check goes through', async () => {
    const { connector, service, roster } = setUp({ maxRemovalRatio: 1 });
    service.failures.push(
      new RateLimitedError('slow down', 50),
      new TransientError('answered 502'),
    );
    const logs = new LogSink();
    const running = await start(connector, { roster, every: '300ms' }, logs);
    await waitFor('a drift check', async () => (await driftMetric(running.httpUrl, 'add')) === 1);
    // The first check itself got through: none failed.
    expect(await metric(running.httpUrl, 'orchester_drift_check_failures_total')).toBe(0);
    expect(service.calls.slice(0, 3).map((c) => c.action)).toEqual(['list', 'list', 'list']);
    const retries = logs.entries.filter((e) => e.msg === 'drift check: reading the instance again');
    expect(retries.map((e) => [e.instance, e.code, e.spendsAttempt])).toEqual([
      ['team', 'ORCH_RATE_LIMITED', false],
      ['team', 'ORCH_TRANSIENT', true],
    ]);
    // The wait the service asked for; the backoff of config `retry` (20 ms, half of it jitter).
    expect(retries[0]?.delayMs).toBe(50);
    expect(retries[1]?.delayMs).toBeGreaterThanOrEqual(10);
    expect(retries[1]?.delayMs).toBeLessThanOrEqual(20);
  });

  it('fail naming the instance that could not be read within roster.snapshot_deadline_ms', async () => {
    const { connector, service, roster } = setUp({ maxRemovalRatio: 1 });
    service.failures.push(new RateLimitedError('slow down', 60_000));
    const logs = new LogSink();
    const running = await start(connector, { roster, every: '300ms' }, logs, {
      roster: { snapshot_deadline_ms: 1_000 },
    });
    const failed = await waitFor('a failed check', () =>
      logs.entries.find((e) => e.msg === 'drift check failed'),
    );
    expect(failed).toMatchObject({
      code: 'ORCH_RATE_LIMITED',
      error:
        'could not read team within 1 s (roster.snapshot_deadline_ms): slow down (ORCH_RATE_LIMITED)',
    });
    expect(await metric(running.httpUrl, 'orchester_drift_check_failures_total')).toBeGreaterThan(
      0,
    );
  });
});
