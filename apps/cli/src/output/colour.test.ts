import type { JobReport, Plan } from '@orchester/runtime';
import { describe, expect, it } from 'vitest';
import { paintFor, wantsColour } from './colour.js';
import { describeJobReport } from './describe-job.js';
import { describePlan } from './describe-plan.js';

const terminal = { isTTY: true };
const pipe = { isTTY: false };

describe('wantsColour', () => {
  it('is on for a terminal and off for a pipe', () => {
    expect(wantsColour(terminal, {})).toBe(true);
    expect(wantsColour(pipe, {})).toBe(false);
    expect(wantsColour({}, {})).toBe(false);
  });

  it('NO_COLOR set to anything turns it off, FORCE_COLOR included; an empty NO_COLOR is unset', () => {
    expect(wantsColour(terminal, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(terminal, { NO_COLOR: 'false' })).toBe(false);
    expect(wantsColour(pipe, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(wantsColour(terminal, { NO_COLOR: '' })).toBe(true);
  });

  it('FORCE_COLOR forces it through a pipe; FORCE_COLOR=0 and TERM=dumb turn it off', () => {
    expect(wantsColour(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour(pipe, { FORCE_COLOR: 'true' })).toBe(true);
    expect(wantsColour(terminal, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColour(terminal, { TERM: 'dumb' })).toBe(false);
  });
});

const row = (over: Partial<JobReport>): JobReport =>
  ({
    instance: 'github',
    action: 'add',
    identifier: 'ada',
    status: 'succeeded',
    attempts: 1,
    ...over,
  }) as JobReport;

describe('what is coloured', () => {
  const paint = paintFor(terminal, {});

  it('a change green, what was already so dim, a failure red', () => {
    expect(describeJobReport(row({ outcome: 'invited' }), paint)).toBe(
      'ada: \u001b[32minvited to\u001b[39m github',
    );
    expect(describeJobReport(row({ outcome: 'already-member' }), paint)).toBe(
      'ada: \u001b[2malready a member of\u001b[22m github',
    );
    expect(
      describeJobReport(
        row({ status: 'failed', error: { code: 'ORCH_TRANSIENT', message: 'x' } } as never),
        paint,
      ),
    ).toBe('ada: \u001b[31madd failed\u001b[39m in github: x');
  });

  it('plan lines by kind: adds green, removals red, role changes yellow', () => {
    const plan = {
      instances: [
        {
          instance: 'github',
          type: 'github',
          prune: true,
          current: { members: 2, invited: 0 },
          snapshot: 'list',
          unmanaged: 0,
          summary: { 'in-place': 0, pending: 0 },
          changes: [
            { kind: 'add', identifier: 'ada', toRole: 'member' },
            { kind: 'remove', identifier: 'bob' },
            { kind: 'change-role', identifier: 'cy', fromRole: 'member', toRole: 'admin' },
          ],
        },
      ],
      violations: [],
      summary: {
        changes: 3,
        add: 1,
        reactivate: 0,
        'change-role': 1,
        remove: 1,
        'cancel-invitation': 0,
      },
    } as unknown as Plan;
    const lines = describePlan(plan, paint);
    expect(lines.slice(1, 4)).toEqual([
      '  \u001b[32m+ add                ada as member\u001b[39m',
      '  \u001b[31m- remove             bob\u001b[39m',
      '  \u001b[33m~ change role        cy: member -> admin\u001b[39m',
    ]);
    expect(describePlan(plan).join('\n')).not.toContain('\u001b[');
  });
});
