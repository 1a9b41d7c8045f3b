import {
  ConnectorRegistry,
  type MembershipJob,
  MemoryChangeJournal,
  runJobsInline,
  runMembershipJob,
} from '@orchester/runtime';
import { memoryConfig } from '@orchester/runtime/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import githubConnector from './index.js';
import { addUser, type GitHubState } from './sandbox/index.js';
import { startGitHub } from './test-support/harness.js';

let gh: RunningEmulator<GitHubState>;
beforeEach(async () => {
  gh = await startGitHub();
});
afterEach(async () => {
  await gh.close();
});

/** A registry whose `github` instance points at the emulator, as config's `base_url` would. */
function registry(block: Record<string, unknown>): ConnectorRegistry {
  const config = memoryConfig({ github: { type: 'github', block, baseUrl: gh.url } });
  return new ConnectorRegistry({ packages: [], config, connectors: [githubConnector] });
}

describe('through orchester’s runner and retry policy', () => {
  it('a missing token is a config error naming connectors.github.token and the fix, before any request', async () => {
    const job: MembershipJob = {
      instance: 'github',
      action: 'check',
      identifier: 'bob',
      options: {},
      batchId: 'b1',
    };
    const attempt = await runMembershipJob(job, registry({ org: 'acme' }), {
      journal: new MemoryChangeJournal(),
      firstAttempt: true,
    });
    expect(attempt.ok).toBe(false);
    if (attempt.ok) return;
    expect(attempt.error.code).toBe('ORCH_CONFIG');
    expect(attempt.error.message).toMatch(/connectors\.github\.token: required; .*admin:org/);
    expect(gh.requests).toHaveLength(0);
  });

  it('an invalid login is refused before any request', async () => {
    const job: MembershipJob = {
      instance: 'github',
      action: 'add',
      identifier: '-bad-',
      options: {},
      batchId: 'b1',
    };
    const attempt = await runMembershipJob(job, registry(gh.configBlock()), {
      journal: new MemoryChangeJournal(),
      firstAttempt: true,
    });
    expect(attempt.ok ? undefined : attempt.error.code).toBe('ORCH_INVALID_IDENTIFIER');
    expect(gh.requests).toHaveLength(0);
  });

  it('a batch under 429s and 5xx ends with every person invited exactly once', async () => {
    const logins = Array.from({ length: 12 }, (_, i) => `newcomer-${i}`);
    for (const login of logins) addUser(gh.state, login);
    gh.setFaults({ rateLimitRate: 0.2, retryAfterSeconds: 0, errorRate: 0.2, seed: 7 });
    const reg = registry(gh.configBlock());
    const jobs: MembershipJob[] = logins.map((identifier) => ({
      instance: 'github',
      action: 'add',
      identifier,
      options: {},
      batchId: 'b2',
    }));
    const report = await runJobsInline('b2', jobs, {
      resolver: reg,
      limitsFor: (name) => reg.limitsFor(name),
      policy: { attempts: 10, baseDelayMs: 1, maxDelayMs: 5, jitter: 0, maxRateLimitWaits: 50 },
    });
    expect(report.totals).toMatchObject({ succeeded: 12, failed: 0 });
    expect(
      report.jobs.every((j) => j.outcome === 'invited' || j.outcome === 'already-invited'),
    ).toBe(true);
    const invited = gh.state.orgs.acme!.invitations.filter((i) => i.login?.startsWith('newcomer-'));
    expect(invited.map((i) => i.login).sort()).toEqual([...logins].sort());
    expect(gh.requests.some((r) => r.status === 429)).toBe(true);
    expect(gh.requests.some((r) => r.status === 502)).toBe(true);
    await reg.close();
  });
});
