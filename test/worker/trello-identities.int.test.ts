// Trello e-mail invitations through the real worker: the member each invitation made is kept in
// Redis (the identity hash beside the audit stream), also when answers are lost, and removals
// by e-mail through the queue find it there.
import trelloConnector from '@orchester/connector-trello';
import trelloEmulator from '@orchester/connector-trello/sandbox';
import { openQueueClient, readIdentities } from '@orchester/queue';
import { type MembershipJob, newBatchId } from '@orchester/runtime';
import { memoryConfig } from '@orchester/runtime/testing';
import { type RunningWorker, startWorker } from '@orchester/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../apps/worker/test/helpers/redis-server.js';

const EMAILS = Array.from({ length: 20 }, (_, i) => `hire${i}@example.org`);

let redis: TestRedis;
let emulator: Awaited<ReturnType<typeof trelloEmulator.start>>;
let worker: RunningWorker;

const config = () =>
  ({
    ...memoryConfig({
      trello: {
        type: 'trello',
        block: (({ base_url: _u, ...block }) => block)(emulator.configBlock()),
        baseUrl: emulator.url,
        // Past the default job rate (40 per 10 s): the emulator here does not limit.
        limits: { concurrency: 5, rate: { max: 1_000, durationMs: 1_000 } },
      },
    }),
    sections: {
      worker: {
        http: { port: 0 },
        lock_duration_ms: 5_000,
        stalled_interval_ms: 2_000,
        log_level: 'warn',
      },
      retry: { attempts: 30, base_delay_ms: 10, max_delay_ms: 100 },
    },
  }) as ReturnType<typeof memoryConfig>;

beforeAll(async () => {
  redis = await startRedis();
  emulator = await trelloEmulator.start({ seed: 'empty' });
  Object.assign(emulator.state.limits, { perToken: 1_000_000, perKey: 1_000_000 });
  worker = await startWorker({
    config: config(),
    env: { REDIS_URL: redis.url },
    connectors: [trelloConnector],
    logDestination: { write() {} },
  });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await emulator?.close();
  await redis?.destroy();
});

async function runBatch(action: MembershipJob['action']) {
  const batchId = newBatchId();
  const jobs = EMAILS.map(
    (identifier): MembershipJob => ({
      instance: 'trello',
      action,
      identifier,
      options: {},
      batchId,
    }),
  );
  const client = await openQueueClient({ config: config(), env: { REDIS_URL: redis.url } });
  try {
    await client.enqueueBatch(batchId, jobs);
    await client.waitForBatch(batchId, { intervalMs: 100 });
    return (await client.report(batchId))!;
  } finally {
    await client.close();
  }
}

describe('Trello e-mail invitations through the worker', () => {
  it('records each invited member in Redis despite lost answers, and removes them by e-mail', async () => {
    emulator.setFaults({ dropAfterRate: 0.3, seed: 5 });
    const invited = await runBatch('add');
    expect(invited.jobs.map((j) => j.outcome)).toEqual(EMAILS.map(() => 'invited'));
    expect(invited.jobs.some((j) => j.confirmedOnRetry)).toBe(true);

    const recorded = await readIdentities(redis.url);
    expect(recorded.map((e) => [e.instance, e.email, e.id]).sort()).toEqual(
      EMAILS.map((email) => [
        'trello',
        email,
        emulator.state.accounts.find((a) => a.email === email)!.id,
      ]).sort(),
    );

    const removed = await runBatch('remove');
    expect(removed.jobs.map((j) => j.outcome)).toEqual(EMAILS.map(() => 'invitation-cancelled'));
    const acme = emulator.state.organizations[0]!;
    expect(acme.memberships.map((m) => m.unconfirmed)).toEqual([false]);
  });
});
