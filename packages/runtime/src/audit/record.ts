import type { MembershipOutcome } from '@orchester/core';
import type { JobChange } from '../attempt-changes.js';
import type { JobReport } from '../report.js';

/** One change orchester made or tried, as the audit trail keeps it. Never rewritten. */
export interface AuditRecord {
  /** When the job ended (ISO 8601). */
  readonly at: string;
  /** Who asked: config `actor`, else the OS user. */
  readonly actor: string;
  readonly instance: string;
  readonly action: 'add' | 'remove';
  readonly identifier: string;
  /** The roster person's name, when known. */
  readonly person?: string;
  readonly email?: string;
  /** What the service did; absent when the job failed. */
  readonly outcome?: MembershipOutcome;
  /** The outcome's change was sent by an earlier attempt whose answer was lost: still `actor`'s. */
  readonly confirmedOnRetry?: true;
  readonly role?: string;
  /**
   * What the service said besides the outcome, in the connector's words: the teams or channels
   * joined and left (`teams: web; left teams: old`), a role changed. Never a secret.
   */
  readonly detail?: string;
  /** The error code when the job failed (`ORCH_PERMISSION`...). */
  readonly error?: string;
  /** What a failed job changed anyway, or may have (`confirmed: false`). */
  readonly change?: JobChange;
  readonly batchId: string;
  readonly jobId: string;
}

/** The audit record of a finished job; undefined for `check`, which changes nothing. */
export function auditRecordOf(
  report: JobReport,
  who: { readonly actor: string; readonly person?: string; readonly email?: string },
): AuditRecord | undefined {
  if (report.action === 'check') return undefined;
  return {
    at: report.finishedAt,
    actor: who.actor,
    instance: report.instance,
    action: report.action,
    identifier: report.identifier,
    ...(who.person ? { person: who.person } : {}),
    ...(who.email ? { email: who.email } : {}),
    ...(report.status === 'succeeded' && report.outcome ? { outcome: report.outcome } : {}),
    ...(report.confirmedOnRetry ? { confirmedOnRetry: true as const } : {}),
    ...(report.role ? { role: report.role } : {}),
    ...(report.status === 'succeeded' && report.detail ? { detail: report.detail } : {}),
    ...(report.status === 'failed' ? { error: report.error?.code ?? 'ORCH_INTERNAL' } : {}),
    ...(report.change ? { change: report.change } : {}),
    batchId: report.batchId,
    jobId: report.jobId,
  };
}
