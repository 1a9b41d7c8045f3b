import { openQueueClient, readAuditStream } from '@orchester/queue';
import { type MembershipJob, newBatchId } from '@orchester/runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogSink, quickSections, writeToyConfig } from '../test/helpers/harness.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import {
  dumpRedis,
  limitRequests,
  startToy,
  TOY_TOKEN,
  type ToyEmulator,
} from '../test/helpers/toy.js';
import { type RunningWorker, startWorker } from './main.js';

const DASHBOARD_TOKEN = 'dashboard-token-0c9d8e7f6a5b';

let redis: TestRedis;
let worker: RunningWorker;
const emulators: Record<string, ToyEmulator> = {};
const logs = new LogSink();
let configPath: string;

/** 500 rows per instance: new people added, existing ones removed, checks, and unknown people. */
function planFor(instance: string, batchId: string) {
  const existing = Array.from({ length: 200 }, (_, i) => `${instance}-old-${i}`);
  const jobs: MembershipJob[] = [];
  const job = (action: MembershipJob['action'], identifier: string) =>
    jobs.push({ instance, action, identifier, options: {}, batchId });
  for (let i = 0; i < 250; i++) job('add', `${instance}-new-${i}`);
  for (let i = 0; i < 150; i++) job('remove', existing[i]!);
  for (let i = 0; i < 90; i++)
    job('check', i % 2 === 0 ? existing[150 + i / 2]! : `${instance}-nobody-${i}`);
  for (let i = 0; i < 10; i++) job('add', `ghost-${instance}-${i}`);
  const expected = new Set([
    ...existing.slice(150),
    ...Array.from({ length: 250 }, (_, i) => `${instance}-new-${i}`),
  ]);
  return { existing, jobs, expected };
}

beforeAll(async () => {
  redis = await startRedis();
  const connectors: Record<string, Record<string, unknown>> = {};
  for (const [name, seed] of [
    ['toy-a', 11],
    ['toy-b', 29],
  ] as const) {
    const plan = planFor(name, 'x');
    const emulator = await startToy(plan.existing, {
      errorRate: 0.2,
      timeoutRate: 0.05,
      timeoutMs: 1_000,
      rateLimitRate: 0.01,
      retryAfterSeconds: 1,
      seed,
    });
    // Bursts of 429s whenever the worker outruns the service's window.
    limitRequests(emulator, 250);
    emulators[name] = emulator;
    connectors[name] = { ...emulator.configBlock(), timeout_ms: 300 };
  }
  configPath = writeToyConfig(
    connectors,
    quickSections({
      worker: { ...(quickSections().worker as object), http: { port: 0, token: DASHBOARD_TOKEN } },
      actor: 'batch-tester',
    }),
  );
  worker = await startWorker({ configPath, env: { REDIS_URL: redis.url }, logDestination: logs });
});

afterAll(async () => {
  await worker?.stop();
  for (const e of Object.values(emulators)) await e.close();
  await redis?.destroy();
});

describe('a 1,000-row batch across two instances with faults', () => {
  it('ends every job in the right outcome and leaves each service as the batch asked', async () => {
    const batchId = newBatchId();
    const plans = { 'toy-a': planFor('toy-a', batchId), 'toy-b': planFor('toy-b', batchId) };
    const jobs = [...plans['toy-a'].jobs, ...plans['toy-b'].jobs];
    expect(jobs).toHaveLength(1_000);
    const { loadConfig } = await import('@orchester/runtime');
    const client = await openQueueClient({
      config: loadConfig({ explicitPath: configPath }),
      env: { REDIS_URL: redis.url },
    });
    try {
      await client.enqueueBatch(batchId, jobs);
      const status = await client.waitForBatch(batchId, { intervalMs: 250 });
      expect(status).toMatchObject({ total: 1_000, done: 1_000, failed: 20, succeeded: 980 });
      for (const row of status!.instances) {
        expect(row).toMatchObject({ total: 500, failed: 10, byError: { ORCH_NOT_FOUND: 10 } });
        // A change whose answer was lost (the connector timed out first) is found done on the
        // next try: "already-member" / "not-member" is then the right outcome.
        const r = row.byResult;
        expect((r.added ?? 0) + (r['already-member'] ?? 0)).toBe(250);
        expect((r.removed ?? 0) + (r['not-member'] ?? 0)).toBe(150);
        expect([r.member, r.absent]).toEqual([45, 45]);
      }
      const report = await client.report(batchId);
      expect(report?.jobs).toHaveLength(1_000);
      for (const row of report!.jobs) {
        if (row.identifier.startsWith('ghost-'))
          expect(row).toMatchObject({ status: 'failed', error: { code: 'ORCH_NOT_FOUND' } });
        else if (row.action === 'add') expect(['added', 'already-member']).toContain(row.outcome);
        else if (row.action === 'remove') expect(['removed', 'not-member']).toContain(row.outcome);
        else expect(row.state).toBe(row.identifier.includes('-old-') ? 'member' : 'absent');
      }
      // One audit record per add/remove job end (the ghosts' failed adds too), each job once,
      // with who enqueued it; checks change nothing and leave none.
      const audit = (await readAuditStream(redis.url, { limit: 100_000 })).filter(
        (r) => r.batchId === batchId,
      );
      const writes = report!.jobs.filter((j) => j.action !== 'check');
      expect(audit).toHaveLength(writes.length);
      expect(new Set(audit.map((r) => r.jobId)).size).toBe(writes.length);
      const byJob = new Map(report!.jobs.map((j) => [j.jobId, j]));
      for (const r of audit) {
        const job = byJob.get(r.jobId)!;
        expect(r).toMatchObject({
          actor: 'batch-tester',
          instance: job.instance,
          action: job.action,
        });
        if (job.status === 'failed') expect(r.error).toBe(job.error?.code);
        else expect(r.outcome).toBe(job.outcome);
      }
      // The faults happened, and were retried rather than reported.
      expect(report!.jobs.some((j) => j.attempts > 1)).toBe(true);
      for (const [name, plan] of Object.entries(plans)) {
        const emulator = emulators[name]!;
        expect([...emulator.state.members].sort()).toEqual([...plan.expected].sort());
        // One change per add and per remove: nothing happened twice.
        expect(emulator.state.changes).toHaveLength(400);
        // A permanent answer is final: each unknown person was refused once, never retried.
        const refusals = emulator.requests.filter((r) => r.status === 422).map((r) => r.path);
        expect(refusals).toHaveLength(10);
        expect(new Set(refusals).size).toBe(10);
        const statuses = emulator.requests.map((r) => r.status);
        expect(statuses.filter((s) => s >= 500).length).toBeGreaterThan(50);
        expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
        expect(emulator.requests.filter((r) => r.fault === 'timeout').length).toBeGreaterThan(10);
      }
    } finally {
      await client.close();
    }
  });

  it('leaves no token from the config in any Redis key or value, nor in any log line', async () => {
    const raw = new Redis(redis.url);
    try {
      const everything = await dumpRedis(raw);
      expect(everything.length).toBeGreaterThan(10_000);
      expect(everything).toContain('toy-a-new-1');
      // The audit stream is in the dump too.
      expect(everything).toContain('"actor","batch-tester","record"');
      for (const secret of [TOY_TOKEN, DASHBOARD_TOKEN]) expect(everything).not.toContain(secret);
    } finally {
      raw.disconnect();
    }
    const text = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThan(1_000);
    for (const secret of [TOY_TOKEN, DASHBOARD_TOKEN]) expect(text).not.toContain(secret);
  });

  it('keeps the dashboard behind its token', async () => {
    expect((await fetch(`${worker.httpUrl}/admin/queues`)).status).toBe(401);
    const ok = await fetch(`${worker.httpUrl}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
    });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
    expect(body.queues.map((q) => [q.name, q.readOnlyMode])).toEqual([
      ['toy-a', true],
      ['toy-b', true],
    ]);
    const login = await fetch(`${worker.httpUrl}/admin/queues?token=${DASHBOARD_TOKEN}`, {
      redirect: 'manual',
    });
    expect(login.status).toBe(302);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).not.toContain(DASHBOARD_TOKEN);
    expect(
      (
        await fetch(`${worker.httpUrl}/admin/queues`, {
          headers: { cookie: cookie.split(';')[0]! },
        })
      ).status,
    ).toBe(200);
  });
});
