// Answers lost after GitHub made the change (the sandbox fault `drop-after`), through orchester's
// inline runner and octokit: every job still reports the change as orchester's.
import {
  type BatchReport,
  type MembershipJob,
  MemoryChangeJournal,
  runJobsInline,
  runMembershipJob,
} from '@orchester/runtime';
import { registryFor } from '@orchester/runtime/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import githubConnector from './index.js';
import { addUser, type GitHubState } from './sandbox/index.js';
import { startGitHub } from './test-support/harness.js';

let gh: RunningEmulator<GitHubState>;
beforeEach(async () => {
  gh = await startGitHub();
  Object.assign(gh.state.limits, { writesPerMinute: 1_000_000, invitationCap: 1_000_000 });
});
afterEach(async () => {
  await gh.close();
});

const acme = () => gh.state.orgs.acme!;
const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const LOGINS = range('newcomer', 20);
const EMAILS = range('hire', 20).map((name) => `${name}@example.com`);
const MEMBERS = range('leaver', 10);

async function run(action: 'add' | 'remove', people: readonly string[]): Promise<BatchReport> {
  const { base_url: _url, ...block } = gh.configBlock();
  const registry = registryFor([githubConnector], {
    github: {
      type: 'github',
      block,
      baseUrl: gh.url,
      limits: { concurrency: 4, rate: { max: 1_000, durationMs: 1_000 } },
    },
  });
  const batchId = `b-${action}`;
  const jobs: MembershipJob[] = people.map((identifier) => ({
    instance: 'github',
    action,
    identifier,
    options: {},
    batchId,
  }));
  try {
    return await runJobsInline(batchId, jobs, {
      resolver: registry,
      limitsFor: (name) => registry.limitsFor(name),
      policy: { attempts: 25, baseDelayMs: 1, maxDelayMs: 5, jitter: 0, maxRateLimitWaits: 50 },
    });
  } finally {
    await registry.close();
  }
}

/** Requests GitHub carried out (answered, or answered and then lost) matching method and path. */
function carriedOut(method: string, path: RegExp) {
  return gh.requests.filter(
    (r) =>
      r.method === method &&
      path.test(r.path) &&
      ((r.status >= 200 && r.status < 300) || r.fault === 'drop-after'),
  );
}

describe('answers lost after the change (drop-after = 0.3)', () => {
  it('adds by login and by e-mail all report invited, each change made once', async () => {
    for (const login of LOGINS) addUser(gh.state, login);
    gh.setFaults({ dropAfterRate: 0.3, seed: 11 });
    const report = await run('add', [...LOGINS, ...EMAILS]);

    expect(report.totals).toMatchObject({ succeeded: 40, failed: 0 });
    for (const job of report.jobs) expect(job.outcome, job.identifier).toBe('invited');
    expect(gh.requests.some((r) => r.fault === 'drop-after')).toBe(true);
    // Some adds were confirmed by a retry that found the invitation the lost answer was about.
    expect(report.jobs.filter((j) => j.confirmedOnRetry).length).toBeGreaterThan(0);

    for (const login of LOGINS) {
      expect(
        acme().invitations.filter((i) => i.login === login),
        login,
      ).toHaveLength(1);
      // A retry finds the pending invitation and sends no second PUT.
      expect(carriedOut('PUT', new RegExp(`/memberships/${login}$`)), login).toHaveLength(1);
    }
    for (const email of EMAILS) {
      // A repeated POST gets the pending invitation back: GitHub never holds two.
      expect(
        acme().invitations.filter((i) => i.email === email),
        email,
      ).toHaveLength(1);
    }
  });

  it('removals of members and of invitations by login and by e-mail all report the change, each sent once', async () => {
    for (const login of [...LOGINS, ...MEMBERS]) addUser(gh.state, login);
    for (const login of MEMBERS) acme().members[login] = 'member';
    await run('add', [...LOGINS, ...EMAILS]);
    const invitationIds = new Map(
      acme().invitations.map((i) => [i.email ?? i.login ?? '', i.id] as const),
    );
    gh.clearRequests();
    gh.setFaults({ dropAfterRate: 0.3, seed: 5 });
    const report = await run('remove', [...MEMBERS, ...LOGINS, ...EMAILS]);

    expect(report.totals).toMatchObject({ succeeded: 50, failed: 0 });
    for (const job of report.jobs) {
      expect(job.outcome, job.identifier).toBe(
        MEMBERS.includes(job.identifier) ? 'removed' : 'invitation-cancelled',
      );
    }
    expect(report.jobs.filter((j) => j.confirmedOnRetry).length).toBeGreaterThan(0);

    for (const login of MEMBERS) expect(acme().members[login], login).toBeUndefined();
    const left = acme().invitations.map((i) => i.email ?? i.login);
    for (const who of [...LOGINS, ...EMAILS]) expect(left, who).not.toContain(who);
    for (const login of [...MEMBERS, ...LOGINS]) {
      expect(carriedOut('DELETE', new RegExp(`/memberships/${login}$`)), login).toHaveLength(1);
    }
    for (const email of EMAILS) {
      const id = invitationIds.get(email);
      expect(carriedOut('DELETE', new RegExp(`/invitations/${id}$`)), email).toHaveLength(1);
    }
  });

  it('a write whose answer says nothing changed leaves no note: a re-run of the job still reports already-*', async () => {
    const { base_url: _url, ...block } = gh.configBlock();
    const registry = registryFor([githubConnector], {
      github: { type: 'github', block, baseUrl: gh.url },
    });
    const journal = new MemoryChangeJournal();
    const job = (action: 'add' | 'remove', identifier: string): MembershipJob => ({
      instance: 'github',
      action,
      identifier,
      options: {},
      batchId: 'b-rerun',
    });
    try {
      // new.hire@example.com was invited a day ago: GitHub answers the POST with that invitation.
      // alice@acme.test is a member's address: GitHub answers 422.
      for (const [action, identifier] of [
        ['add', 'new.hire@example.com'],
        ['add', 'alice@acme.test'],
      ] as const) {
        const first = await runMembershipJob(job(action, identifier), registry, {
          journal,
          firstAttempt: true,
        });
        expect(first, identifier).toMatchObject({
          ok: true,
          outcome: expect.stringMatching(/^already-/),
        });
        // The worker runs the job again (it stalled after the answer): still nothing of orchester's.
        const again = await runMembershipJob(job(action, identifier), registry, {
          journal,
          firstAttempt: false,
        });
        expect(again, identifier).toMatchObject({
          ok: true,
          outcome: first.ok ? first.outcome : '',
        });
        expect(again.ok && again.confirmedOnRetry, identifier).toBeFalsy();
      }
    } finally {
      await registry.close();
    }
  });
});
