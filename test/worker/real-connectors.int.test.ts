// The worker's 1,000-row batch against two real connectors (GitHub and Trello, through octokit
// and Trello's HTTP client) and their emulators, with 20% 5xx, 5% timeouts, 429 bursts and 5%
// answers lost after the service made the change.
import githubConnector from '@orchester/connector-github';
import trelloConnector from '@orchester/connector-trello';
import { openQueueClient } from '@orchester/queue';
import { type MembershipJob, newBatchId } from '@orchester/runtime';
import { memoryConfig } from '@orchester/runtime/testing';
import { type RunningWorker, startWorker } from '@orchester/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../apps/worker/test/helpers/redis-server.js';
import {
  addGitHubMembers,
  addGitHubUsers,
  addTrelloAccounts,
  addTrelloMembers,
  closeEmulators,
  type Emulators,
  startEmulators,
  trelloPeople,
} from '../roster/emulators.js';

const range = (prefix: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);

// Per instance: 250 adds, 150 removals, 45 checks of members and 45 of outsiders, 10 unknown people.
const OLD = range('old', 200);
const NEW = range('new', 250);
const OUTSIDERS = range('outsider', 45);
const GHOSTS = range('ghost', 10);

let redis: TestRedis;
let emulators: Emulators;
let worker: RunningWorker;
const sections = {
  worker: {
    http: { port: 0 },
    lock_duration_ms: 5_000,
    stalled_interval_ms: 2_000,
    log_level: 'warn',
  },
  // A job here makes 2 requests, each failing 25% of the time: about half of all attempts
  // fail, so 12 attempts would leave a job of 500 failing now and then. 40 make that negligible.
  retry: { attempts: 40, base_delay_ms: 20, max_delay_ms: 300 },
};
const faults = {
  errorRate: 0.2,
  timeoutRate: 0.05,
  timeoutMs: 2_000,
  rateLimitRate: 0.01,
  retryAfterSeconds: 1,
  dropAfterRate: 0.05,
};
const config = () =>
  ({
    ...memoryConfig({
      github: {
        type: 'github',
        block: { ...blockOf(emulators.github), timeout_ms: 400 },
        baseUrl: emulators.github.url,
        limits: { concurrency: 10, rate: { max: 200, durationMs: 1_000 } },
      },
      trello: {
        type: 'trello',
        block: { ...blockOf(emulators.trello), timeout_ms: 1_000 },
        baseUrl: emulators.trello.url,
        // Faster than the emulator's 150 requests a second allow: 429 bursts are certain.
        limits: { concurrency: 10, rate: { max: 120, durationMs: 1_000 } },
      },
    }),
    sections,
  }) as ReturnType<typeof memoryConfig>;

function blockOf(emulator: { configBlock(): Record<string, unknown> }): Record<string, unknown> {
  const { base_url: _url, ...block } = emulator.configBlock();
  return block;
}

function jobsFor(instance: string, batchId: string): MembershipJob[] {
  const job = (action: MembershipJob['action'], identifier: string): MembershipJob => ({
    instance,
    action,
    identifier,
    options: {},
    batchId,
  });
  return [
    ...NEW.map((id) => job('add', id)),
    ...OLD.slice(0, 150).map((id) => job('remove', id)),
    ...OLD.slice(150, 195).map((id) => job('check', id)),
    ...OUTSIDERS.map((id) => job('check', id)),
    ...GHOSTS.map((id) => job('add', id)),
  ];
}

beforeAll(async () => {
  redis = await startRedis();
  emulators = await startEmulators();
  const gh = emulators.github.state;
  Object.assign(gh.limits, {
    primaryPerHour: 1_000_000,
    writesPerMinute: 1_000_000,
    writesPerHour: 1_000_000,
    pointsPerMinute: 1_000_000,
    invitationCap: 1_000_000,
  });
  addGitHubMembers(gh, OLD);
  addGitHubUsers(gh, [...NEW, ...OUTSIDERS]);
  const trello = emulators.trello.state;
  Object.assign(trello.limits, { windowMs: 1_000, perToken: 150, perKey: 450 });
  addTrelloMembers(trello, OLD);
  addTrelloAccounts(trello, [...NEW, ...OUTSIDERS]);
  emulators.github.setFaults({ ...faults, seed: 7 });
  emulators.trello.setFaults({ ...faults, seed: 13 });
  worker = await startWorker({
    config: config(),
    env: { REDIS_URL: redis.url },
    connectors: [githubConnector, trelloConnector],
    logDestination: { write() {} },
  });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await closeEmulators(emulators);
  await redis?.destroy();
});

describe('a 1,000-row batch through the worker, real connectors, faulty services', () => {
  it('ends every job right and leaves each service as the batch asked, changing nothing twice', async () => {
    const batchId = newBatchId();
    const jobs = [...jobsFor('github', batchId), ...jobsFor('trello', batchId)];
    expect(jobs).toHaveLength(1_000);
    const client = await openQueueClient({ config: config(), env: { REDIS_URL: redis.url } });
    try {
      await client.enqueueBatch(batchId, jobs);
      const status = await client.waitForBatch(batchId, { intervalMs: 250 });
      expect(status).toMatchObject({ total: 1_000, done: 1_000, failed: 20, succeeded: 980 });
      const report = await client.report(batchId);
      for (const row of report!.jobs) {
        const { instance, action, identifier } = row;
        if (identifier.startsWith('ghost')) {
          expect(row, `${instance} ${identifier}`).toMatchObject({
            status: 'failed',
            error: { code: 'ORCH_NOT_FOUND' },
          });
        } else if (action === 'add') {
          // GitHub invites; Trello adds. Every one is orchester's change, also when its answer
          // was lost and a retry found it in place.
          expect(row.outcome, `${instance} ${identifier}`).toBe(
            instance === 'github' ? 'invited' : 'added',
          );
        } else if (action === 'remove') {
          expect(row.outcome, `${instance} ${identifier}`).toBe('removed');
        } else {
          expect(row.state).toBe(identifier.startsWith('old') ? 'member' : 'absent');
        }
      }
      expect(report!.jobs.some((j) => j.attempts > 1)).toBe(true);
      // Lost answers happened, and their changes were still reported as orchester's.
      expect(report!.jobs.filter((j) => j.confirmedOnRetry).length).toBeGreaterThan(5);
    } finally {
      await client.close();
    }

    const acme = emulators.github.state.orgs.acme!;
    expect(Object.keys(acme.members).sort()).toEqual(['olive', ...OLD.slice(150)].sort());
    expect(acme.invitations.map((i) => i.login).sort()).toEqual([...NEW].sort());
    const trello = trelloPeople(emulators.trello.state);
    expect(Object.keys(trello).sort()).toEqual(['olive', ...OLD.slice(150), ...NEW].sort());

    // Each change reached its service exactly once; every fault kind really happened.
    for (const [name, emulator, write, remove] of [
      [
        'github',
        emulators.github,
        /^\/orgs\/acme\/memberships\/new\d+$/,
        /^\/orgs\/acme\/memberships\/old\d+$/,
      ],
      [
        'trello',
        emulators.trello,
        // Trello takes the username where it takes a member id: no lookup before the write.
        /^\/1\/organizations\/acme\/members\/new\d+$/,
        /^\/1\/organizations\/acme\/members\/[0-9a-f]+$/,
      ],
    ] as const) {
      // A change whose answer was dropped was made all the same.
      const ok = emulator.requests.filter(
        (r) => (r.status >= 200 && r.status < 300) || r.fault === 'drop-after',
      );
      expect(
        ok.filter((r) => r.method === 'PUT' && write.test(r.path)),
        name,
      ).toHaveLength(250);
      expect(
        ok.filter((r) => r.method === 'DELETE' && remove.test(r.path)),
        name,
      ).toHaveLength(150);
      const statuses = emulator.requests.map((r) => r.status);
      expect(statuses.filter((s) => s >= 500).length, name).toBeGreaterThan(50);
      expect(statuses.filter((s) => s === 429).length, name).toBeGreaterThan(0);
      expect(emulator.requests.filter((r) => r.fault === 'timeout').length, name).toBeGreaterThan(
        10,
      );
    }
  });
});
