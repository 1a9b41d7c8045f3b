import { PermissionError, TransientError } from '@orchester/core';
import { createMemoryConnector } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { runJobsInline } from '../inline-runner.js';
import type { MembershipJob } from '../job.js';
import type { JobReport } from '../report.js';
import { registryFor } from '../testing/registry-for.js';
import { accessChecks, verifyOffboarding } from './offboard-verification.js';

const remove = (instance: string, identifier: string): MembershipJob => ({
  instance,
  action: 'remove',
  identifier,
  options: {},
  batchId: 'b1',
});

describe('verifying an offboarding', () => {
  it('checks each identifier once per instance, in the batch of the removals', () => {
    const checks = accessChecks([remove('one', 'zed'), remove('one', 'zed'), remove('two', 'zed')]);
    expect(checks).toEqual([
      { instance: 'one', action: 'check', identifier: 'zed', options: {}, batchId: 'b1' },
      { instance: 'two', action: 'check', identifier: 'zed', options: {}, batchId: 'b1' },
    ]);
  });

  it('tells no access (deactivated included) from access left and from a check not made', async () => {
    const one = createMemoryConnector({ id: 'm1', members: { zed: 'member' } });
    const two = createMemoryConnector({ id: 'm2', members: { zed: 'deactivated' } });
    const three = createMemoryConnector({ id: 'm3', members: { zed: 'invited' } });
    const four = createMemoryConnector({ id: 'm4', members: { zed: 'member' } });
    const registry = registryFor([one.connector, two.connector, three.connector, four.connector], {
      one: 'm1',
      two: 'm2',
      three: 'm3',
      four: 'm4',
    });
    // Three refuses the removal; four's removal works but its check cannot be made.
    three.service.failures.push(new PermissionError('may not'));
    const removals = ['one', 'two', 'three', 'four'].map((i) => remove(i, 'zed'));
    const run = (jobs: readonly MembershipJob[]) =>
      runJobsInline('b1', jobs, {
        resolver: registry,
        limitsFor: (n) => registry.limitsFor(n),
        policy: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, jitter: 0, maxRateLimitWaits: 0 },
      });
    await run(removals);
    four.service.failures.push(new TransientError('down'));
    const verification = verifyOffboarding((await run(accessChecks(removals))).jobs);
    expect(verification.verified).toBe(false);
    expect(verification.instances).toEqual([
      {
        instance: 'four',
        access: 'unknown',
        checks: [{ identifier: 'zed', error: { code: 'ORCH_TRANSIENT', message: 'down' } }],
      },
      { instance: 'one', access: 'none', checks: [{ identifier: 'zed', state: 'absent' }] },
      {
        instance: 'three',
        access: 'remains',
        checks: [{ identifier: 'zed', state: 'invited', role: 'member' }],
      },
      {
        instance: 'two',
        access: 'none',
        checks: [{ identifier: 'zed', state: 'deactivated', role: 'member' }],
      },
    ]);
  });

  it('a check that sees only part of the service proves nothing alone, but adds to a full one', () => {
    const check = (identifier: string, extra: Partial<JobReport>): JobReport => ({
      jobId: `b1.gh.check.${identifier}`,
      batchId: 'b1',
      instance: 'gh',
      action: 'check',
      identifier,
      status: 'succeeded',
      state: 'absent',
      attempts: 1,
      finishedAt: '2026-11-30T00:00:00.000Z',
      ...extra,
    });
    const byEmail = check('zed@example.com', { partial: true });
    expect(verifyOffboarding([byEmail]).instances[0]?.access).toBe('unknown');
    expect(verifyOffboarding([check('zed', {}), byEmail]).instances[0]?.access).toBe('none');
    expect(
      verifyOffboarding([check('zed', {}), { ...byEmail, state: 'invited' }]).instances[0]?.access,
    ).toBe('remains');
  });
});
