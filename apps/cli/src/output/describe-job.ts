import type { JobReport } from '@orchester/runtime';
import { type Paint, plain, type Tone } from './colour.js';

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

// Changes in green, what was already so dimmed; a check short of membership in yellow.
const OUTCOME_TONE: Record<string, Tone> = {
  added: 'good',
  invited: 'good',
  reactivated: 'good',
  'role-changed': 'good',
  removed: 'good',
  'invitation-cancelled': 'good',
  'already-member': 'dim',
  'already-invited': 'dim',
  'not-member': 'dim',
};

const STATE_TONE: Record<string, Tone> = {
  member: 'good',
  invited: 'warn',
  absent: 'warn',
  deactivated: 'warn',
};

/** What a failed job changed anyway: "invited to github-corp before it failed". */
function leftBehind(row: JobReport): string {
  if (!row.change) return '';
  const did = `${OUTCOME_TEXT[row.change.outcome] ?? row.change.outcome} ${row.instance}`;
  return row.change.confirmed
    ? ` (it was ${did} before the failure)`
    : ` (it may have been ${did}: the service's answer was lost; "orchest check" tells)`;
}

/** One line for a person: "alice: added to github-corp (role member)", its outcome painted. */
export function describeJobReport(row: JobReport, paint: Paint = plain): string {
  if (row.status === 'failed')
    return `${row.identifier}: ${paint('bad', `${row.action} failed`)} in ${row.instance}: ${row.error?.message ?? 'unknown error'}${leftBehind(row)}`;
  const text = row.outcome
    ? (OUTCOME_TEXT[row.outcome] ?? row.outcome)
    : (STATE_TEXT[row.state ?? ''] ?? row.state ?? '');
  const tone = row.outcome ? OUTCOME_TONE[row.outcome] : STATE_TONE[row.state ?? ''];
  const extras = [row.role ? `role ${row.role}` : undefined, row.detail].filter(Boolean);
  return `${row.identifier}: ${tone ? paint(tone, text) : text} ${row.instance}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`;
}
