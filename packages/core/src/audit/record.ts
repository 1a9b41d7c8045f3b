import type { MembershipOutcome } from '../membership.js';
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
  readonly role?: string;
  /** The error code when the job failed (`ORCH_PERMISSION`...). */
  readonly error?: string;
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
    ...(report.role ? { role: report.role } : {}),
    ...(report.status === 'failed' ? { error: report.error?.code ?? 'ORCH_INTERNAL' } : {}),
    batchId: report.batchId,
    jobId: report.jobId,
  };
}
