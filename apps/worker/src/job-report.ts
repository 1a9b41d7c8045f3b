import type { JobAttempt, JobReport, MembershipJob } from '@orchester/core';
import { membershipJobId } from '@orchester/core';

// Thousands of jobs end within the same millisecond; format each millisecond once.
let lastMs = Number.NaN;
let lastIso = '';
function isoOf(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** A job's end as reports show it, the same shape the inline runner gives. */
export function jobReportOf(
  job: MembershipJob,
  attempts: number,
  attempt: JobAttempt,
  finishedAt: number,
  jobId: string = membershipJobId(job),
): JobReport {
  const finished = isoOf(finishedAt);
  if (!attempt.ok) {
    return {
      jobId,
      batchId: job.batchId,
      instance: job.instance,
      action: job.action,
      identifier: job.identifier,
      attempts,
      finishedAt: finished,
      status: 'failed',
      error: { code: attempt.error.code, message: attempt.error.message },
    };
  }
  const report: { -readonly [K in keyof JobReport]: JobReport[K] } = {
    jobId,
    batchId: job.batchId,
    instance: job.instance,
    action: job.action,
    identifier: job.identifier,
    attempts,
    finishedAt: finished,
    status: 'succeeded',
  };
  if (attempt.state) report.state = attempt.state;
  if (attempt.outcome) report.outcome = attempt.outcome;
  if (attempt.role) report.role = attempt.role;
  if (attempt.detail) report.detail = attempt.detail;
  return report;
}
