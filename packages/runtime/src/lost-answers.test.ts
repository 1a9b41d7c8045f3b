import { PermissionError, TransientError } from '@orchester/core';
import { createMemoryConnector, FakeClock } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { runJobsInline } from './inline-runner.js';
import type { MembershipJob } from './job.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { registryFor } from './testing/registry-for.js';

const job = (identifier: string, action: 'add' | 'remove' = 'add'): MembershipJob => ({
  instance: 'mem',
  action,
  identifier,
  options: {},
  batchId: 'b1',
});

const policy = { ...DEFAULT_RETRY_POLICY, attempts: 3, baseDelayMs: 100, jitter: 0 };

async function run(
  jobs: MembershipJob[],
  setUp: (service: ReturnType<typeof createMemoryConnector>['service']) => void,
  members: Record<string, 'member' | 'invited'> = {},
) {
  const clock = new FakeClock();
  const { connector, service } = createMemoryConnector({ members });
  setUp(service);
  const registry = registryFor([connector], { mem: 'memory' });
  const running = runJobsInline('b1', jobs, {
    resolver: registry,
    limitsFor: (n) => registry.limitsFor(n),
    policy,
    clock,
  });
  await clock.runAll();
  return { report: await running, service };
}

const lost = () => new TransientError('the connection was reset before the answer came');

describe('an answer lost after the service made the change', () => {
  it('an add found in place on the retry is reported as added, confirmed on the retry', async () => {
    const { report, service } = await run([job('ada')], (s) => s.lostAnswers.push(lost()));
    expect(report.jobs[0]).toMatchObject({
      status: 'succeeded',
      outcome: 'added',
      confirmedOnRetry: true,
      attempts: 2,
    });
    expect(report.jobs[0]?.detail).toMatch(/earlier attempt whose answer was lost/);
    expect(report.totals.byResult).toEqual({ added: 1 });
    // The service changed once; the retry only found it.
    expect(service.changes).toEqual([{ action: 'add', identifier: 'ada' }]);
  });

  it("a removal and an invitation's cancellation keep their own outcome", async () => {
    const { report } = await run(
      [job('ada', 'remove'), job('bob', 'remove')],
      (s) => s.lostAnswers.push(lost(), lost()),
      { ada: 'member', bob: 'invited' },
    );
    expect(report.jobs.map((j) => [j.identifier, j.outcome, j.confirmedOnRetry])).toEqual([
      ['ada', 'removed', true],
      ['bob', 'invitation-cancelled', true],
    ]);
  });

  it('someone who was there before any write stays already-member, even after a failed attempt', async () => {
    // The first attempt fails before it writes anything (a read timed out).
    const { report } = await run([job('ada')], (s) => s.failures.push(lost()), {
      ada: 'member',
    });
    expect(report.jobs[0]).toMatchObject({ outcome: 'already-member', attempts: 2 });
    expect(report.jobs[0]?.confirmedOnRetry).toBeUndefined();
  });

  it('a change the service refused is not counted as made', async () => {
    const { report } = await run([job('ada')], (s) =>
      s.lostAnswers.push(new PermissionError('the token may not invite')),
    );
    expect(report.jobs[0]).toMatchObject({
      status: 'failed',
      error: { code: 'ORCH_PERMISSION' },
      attempts: 1,
    });
    expect(report.jobs[0]?.change).toBeUndefined();
  });

  it('a job that fails for good after a lost answer says the change may have been made', async () => {
    const { report, service } = await run([job('ada')], (s) => {
      s.lostAnswers.push(lost());
      // Every later attempt fails before it can look.
      s.failures.push(undefined, lost(), lost());
    });
    expect(report.jobs[0]).toMatchObject({
      status: 'failed',
      error: { code: 'ORCH_TRANSIENT' },
      change: { outcome: 'added', confirmed: false },
      attempts: 3,
    });
    expect(service.members.get('ada')?.state).toBe('member');
  });
});
