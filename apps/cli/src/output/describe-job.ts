import type { JobReport } from '@orchester/core';

const OUTCOME_TEXT: Record<string, string> = {
  added: 'added to',
  invited: 'invited to',
  reactivated: 'reactivated in',
  'role-changed': 'role changed in',
  'already-member': 'already a member of',
  'already-invited': 'already invited to',
  removed: 'removed from',
  'invitation-cancelled': 'invitation cancelled in',
  'not-member': 'was not a member of',
};

const STATE_TEXT: Record<string, string> = {
  member: 'is a member of',
  invited: 'is invited to (not yet accepted)',
  absent: 'is not a member of',
  deactivated: 'is deactivated in',
};

/** One line for a person: "alice: added to github-corp (role member)". */
export function describeJobReport(row: JobReport): string {
  if (row.status === 'failed')
    return `${row.identifier}: ${row.action} failed in ${row.instance}: ${row.error?.message ?? 'unknown error'}`;
  const text = row.outcome
    ? (OUTCOME_TEXT[row.outcome] ?? row.outcome)
    : (STATE_TEXT[row.state ?? ''] ?? row.state);
  const extras = [row.role ? `role ${row.role}` : undefined, row.detail].filter(Boolean);
  return `${row.identifier}: ${text} ${row.instance}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`;
}
