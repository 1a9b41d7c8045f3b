import { type JobReport, verifyOffboarding } from '@orchester/runtime';
import { describe, expect, it } from 'vitest';
import { daysSince, describeWho, membersCsv, table, whoRows } from './describe-access.js';

const DAY_MS = 86_400_000;

/** A finished check job as the runner reports it. */
function checked(instance: string, identifier: string, answer: Partial<JobReport>): JobReport {
  return {
    instance,
    identifier,
    action: 'check',
    status: 'succeeded',
    attempts: 1,
    ...answer,
  } as JobReport;
}

describe('who rows', () => {
  it('shows the strongest state per instance, and why an instance could not tell', () => {
    const verification = verifyOffboarding([
      checked('code', 'bob', { state: 'absent' }),
      checked('code', 'bob@example.com', { state: 'invited', role: 'member' }),
      checked('chat', 'bob@example.com', { state: 'deactivated' }),
      checked('gh', 'bob@example.com', {
        state: 'absent',
        partial: true,
        detail: 'no pending invitation for this e-mail',
      }),
      checked('files', 'bob@example.com', {
        status: 'failed',
        error: { code: 'ORCH_TRANSIENT', message: 'Drive answered 500' },
      } as Partial<JobReport>),
    ]);
    expect(whoRows(verification)).toEqual([
      { instance: 'chat', access: 'none', state: 'deactivated', identifier: 'bob@example.com' },
      {
        instance: 'code',
        access: 'remains',
        state: 'invited',
        role: 'member',
        identifier: 'bob@example.com',
      },
      {
        instance: 'files',
        access: 'unknown',
        state: 'unknown',
        identifier: 'bob@example.com',
        note: 'bob@example.com: ORCH_TRANSIENT: Drive answered 500',
      },
      {
        instance: 'gh',
        access: 'unknown',
        state: 'absent',
        identifier: 'bob@example.com',
        note: 'the service shows only part: no pending invitation for this e-mail',
      },
    ]);
    const lines = describeWho(verification);
    expect(lines[0]).toBe('INSTANCE  ACCESS   STATE        ROLE    IDENTIFIER       NOTE');
    expect(lines[2]).toBe('code      yes      invited      member  bob@example.com');
  });
});

describe('members output', () => {
  it('counts whole days since a time, and none without one', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(daysSince('2026-11-27T12:00:01Z', now)).toBe(2);
    expect(daysSince('2026-11-27T12:00:00Z', now)).toBe(3);
    expect(daysSince(undefined, now)).toBeUndefined();
    expect(daysSince('not a time', now)).toBeUndefined();
    expect(daysSince(new Date(now + DAY_MS).toISOString(), now)).toBe(0);
  });

  it('pads every column but the last', () => {
    expect(
      table(
        [
          ['a', 'bbb', 'c'],
          ['dddd', 'e', ''],
        ],
        '  ',
      ),
    ).toEqual(['  a     bbb  c', '  dddd  e']);
  });

  it('CSV cells a spreadsheet would run start with a quote; commas and quotes are escaped', () => {
    const csv = membersCsv(
      [
        {
          instance: 'chat',
          type: 'slack',
          listed: true,
          members: [
            {
              instance: 'chat',
              type: 'slack',
              identifier: '+1@example.com',
              name: '=Jo',
              state: 'member',
              aliases: [],
              person: { name: 'Doe, "Jo"', email: 'jo@example.com' },
            },
            {
              instance: 'chat',
              type: 'slack',
              identifier: 'ivy@example.com',
              state: 'invited',
              since: '2026-11-20T12:00:00Z',
              aliases: [],
              role: '@admin',
            },
          ],
        },
      ],
      Date.parse('2026-11-30T12:00:00Z'),
    );
    expect(csv.split('\n')).toEqual([
      'instance,type,identifier,name,person,email,state,role,since,invitation_age_days',
      `chat,slack,'+1@example.com,'=Jo,"Doe, ""Jo""",jo@example.com,member,,,`,
      "chat,slack,ivy@example.com,,,,invited,'@admin,2026-11-20T12:00:00Z,10",
      '',
    ]);
  });
});
