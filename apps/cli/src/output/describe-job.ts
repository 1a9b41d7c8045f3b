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
  invited: 'has a pending invitation to',
  absent: 'is not a member of',
  deactivated: 'is deactivated in',
};

/** What a failed job changed anyway: "invited to github-corp before it failed". */
function leftBehind(row: JobReport): string {
  if (!row.change) return '';
  const did = `${OUTCOME_TEXT[row.change.outcome] ?? row.change.outcome} ${row.instance}`;
  return row.change.confirmed
    ? ` (it was ${did} before the failure)`
    : ` (it may have been ${did}: the service's answer was lost; "orchest check" tells)`;
}

/** One line for a person: "alice: added to github-corp (role member)". */
export function describeJobReport(row: JobReport): string {
  if (row.status === 'failed')
    return `${row.identifier}: ${row.action} failed in ${row.instance}: ${row.error?.message ?? 'unknown error'}${leftBehind(row)}`;
  const text = row.outcome
    ? (OUTCOME_TEXT[row.outcome] ?? row.outcome)
    : (STATE_TEXT[row.state ?? ''] ?? row.state);
  const extras = [row.role ? `role ${row.role}` : undefined, row.detail].filter(Boolean);
  return `${row.identifier}: ${text} ${row.instance}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`;
}
