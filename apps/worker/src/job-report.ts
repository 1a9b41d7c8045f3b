import type { JobAttempt, JobReport, MembershipJob } from '@orchester/core';
import { membershipJobId } from '@orchester/core';

/** A job's end as reports show it, the same shape the inline runner gives. */
export function jobReportOf(
  job: MembershipJob,
  attempts: number,
  attempt: JobAttempt,
  finishedAt: number,
): JobReport {
  const base = {
    jobId: membershipJobId(job),
    batchId: job.batchId,
    instance: job.instance,
    action: job.action,
    identifier: job.identifier,
    attempts,
    finishedAt: new Date(finishedAt).toISOString(),
  };
  if (!attempt.ok) {
    return {
      ...base,
      status: 'failed',
      error: { code: attempt.error.code, message: attempt.error.message },
    };
  }
  return {
    ...base,
    status: 'succeeded',
    ...(attempt.state ? { state: attempt.state } : {}),
    ...(attempt.outcome ? { outcome: attempt.outcome } : {}),
    ...(attempt.role ? { role: attempt.role } : {}),
    ...(attempt.detail ? { detail: attempt.detail } : {}),
  };
}
