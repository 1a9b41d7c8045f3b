import type { AccessReview } from '@orchester/runtime';
import { describe, expect, it } from 'vitest';
import { reviewCsv } from './review-csv.js';

function reviewOf(name: string, identifier: string): AccessReview {
  const entry = {
    instance: 'gh',
    type: 'github',
    identifier,
    state: 'member' as const,
    role: 'member',
  };
  return {
    takenAt: '2026-11-30T00:00:00.000Z',
    staleDays: 14,
    instances: [],
    people: [{ key: identifier, name, access: { gh: entry } }],
    notInRoster: [],
    staleInvitations: [],
    invitationsOfUnknownAge: 0,
    summary: {
      instances: 1,
      people: 1,
      members: 1,
      invited: 0,
      deactivated: 0,
      admins: 0,
      notInRoster: 0,
      staleInvitations: 0,
      added: 0,
      removed: 0,
      roleChanged: 0,
      stateChanged: 0,
    },
  };
}

describe('the review CSV', () => {
  it('quotes commas and quotes, and defuses cells a spreadsheet would run as formulas', () => {
    const [, row] = reviewCsv(reviewOf('Lovelace, "Ada"', '=HYPERLINK("x")')).split('\r\n');
    expect(row).toBe('"Lovelace, ""Ada""",,gh,github,"\'=HYPERLINK(""x"")",member,member,,,');
  });
});
