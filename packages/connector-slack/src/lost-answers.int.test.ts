// Lost answers end to end: the real SDK against the emulator, which carries out 30% of requests
// and then drops the connection (the change happened, the answer was lost). Every job must still
// report orchester's change, never "already there", and no change may be made twice.
import {
  type JobReport,
  type MembershipJob,
  type MembershipOutcome,
  runJobsInline,
} from '@orchester/core';
import type { RequestLogEntry } from '@orchester/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { instanceFor, type Slack, specViolations, startSlack } from '../test/harness.js';
import type { SlackMode } from './config.js';
import slack from './index.js';
import { sandboxUser } from './sandbox/index.js';

let running: Slack | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const PEOPLE = 30;
const newcomers = Array.from({ length: PEOPLE }, (_, i) => `newcomer${i}@example.com`);
const leavers = Array.from({ length: PEOPLE }, (_, i) => `leaver${i}@example.com`);

interface Case {
  readonly seed: string;
  readonly added: MembershipOutcome;
  /** The request that carries out an add or a removal, and whether a log entry is one that did. */
  readonly invite: string;
  readonly remove: string;
  readonly carriedOut: (entry: RequestLogEntry) => boolean;
}

const webApiDone = (entry: RequestLogEntry) =>
  (entry.responseBody as { ok?: boolean } | undefined)?.ok === true;

const CASES: Record<SlackMode, Case> = {
  admin: {
    seed: 'enterprise',
    added: 'invited',
    invite: 'POST /api/admin.users.invite',
    remove: 'POST /api/admin.users.remove',
    carriedOut: webApiDone,
  },
  scim: {
    seed: 'business+',
    added: 'added',
    invite: 'POST /scim/v2/Users',
    remove: 'DELETE /scim/v2/Users/:id',
    // A POST that created answers the new user; every DELETE that reached the service deactivated.
    carriedOut: (entry) =>
      entry.method === 'DELETE' || typeof (entry.responseBody as { id?: unknown })?.id === 'string',
  },
  legacy: {
    seed: 'pro',
    added: 'invited',
    invite: 'POST /api/users.admin.invite',
    remove: 'POST /api/users.admin.setInactive',
    carriedOut: webApiDone,
  },
};

const jobsOf = (action: MembershipJob['action'], people: readonly string[]): MembershipJob[] =>
  people.map((identifier) => ({
    instance: 'slack',
    action,
    identifier,
    options: {},
    batchId: 'b',
  }));

describe.each(Object.keys(CASES) as SlackMode[])('lost answers in %s mode', (mode) => {
  it('reports every add and removal as orchester’s change and makes each once', async () => {
    const c = CASES[mode];
    running = await startSlack(c.seed);
    const state = running.state;
    state.limits = {
      ...state.limits,
      tier2: 1e6,
      tier3: 1e6,
      tier4: 1e6,
      scimRead: 1e6,
      scimWrite: 1e6,
    };
    leavers.forEach((email, i) => {
      state.users.push(sandboxUser(`U0LEAVE${String(i).padStart(3, '0')}`, `leaver${i}`, email));
    });
    const s = await instanceFor(running, running.configBlock());
    // One job at a time, no jitter: the fault dice fall on the same requests every run.
    const run = (jobs: MembershipJob[]) =>
      runJobsInline('b', jobs, {
        resolver: { connectorOf: async () => slack, instance: async () => s },
        limitsFor: async () => ({ concurrency: 1 }),
        policy: { attempts: 12, baseDelayMs: 1, maxDelayMs: 2, jitter: 0, maxRateLimitWaits: 10 },
      });
    running.setFaults({ dropAfterRate: 0.3, seed: 11 });

    const adds = await run(jobsOf('add', newcomers));
    const removals = await run(jobsOf('remove', leavers));
    running.setFaults({});

    const outcomes = (jobs: readonly JobReport[]) => new Set(jobs.map((j) => j.outcome));
    expect(adds.totals).toMatchObject({ succeeded: PEOPLE, failed: 0 });
    expect(outcomes(adds.jobs)).toEqual(new Set([c.added]));
    expect(removals.totals).toMatchObject({ succeeded: PEOPLE, failed: 0 });
    expect(outcomes(removals.jobs)).toEqual(new Set(['removed']));
    // Some answers were lost after the change, and the retry found it and called it orchester's.
    for (const report of [adds, removals]) {
      const confirmed = report.jobs.filter((j) => j.confirmedOnRetry);
      expect(confirmed.length).toBeGreaterThan(0);
      expect(confirmed.every((j) => j.attempts > 1)).toBe(true);
    }
    expect(running.requests.some((r) => r.fault === 'drop-after')).toBe(true);

    // The service's state: each newcomer once, invited or active; each leaver deactivated.
    for (const email of newcomers) {
      const accounts = state.users.filter((u) => u.email === email);
      expect(accounts, email).toHaveLength(1);
      expect(accounts[0]).toMatchObject({ deleted: false, invited: c.added === 'invited' });
    }
    for (const email of leavers)
      expect(state.users.find((u) => u.email === email)?.deleted, email).toBe(true);

    // Each change was carried out once: a retry found it in place instead of making it again.
    const done = (route: string) =>
      running!.requests.filter(
        (r) =>
          [`${r.method} ${r.route}`, `${r.method} ${r.path}`].includes(route) && c.carriedOut(r),
      );
    expect(done(c.invite)).toHaveLength(PEOPLE);
    expect(done(c.remove)).toHaveLength(PEOPLE);
    expect(specViolations(running.requests).violations).toEqual([]);
  });
});
