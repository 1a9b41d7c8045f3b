import type { MembershipJob } from './job.js';
import type { JobReport } from './report.js';
import type { JobAttempt } from './run-membership-job.js';

// Thousands of jobs end within the same millisecond in the worker; format each millisecond once.
let lastMs = Number.NaN;
let lastIso = '';
function isoOf(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** A job's end as reports, `--json` and the audit trail show it: one builder for both runners. */
export function jobReportOf(
  job: MembershipJob,
  jobId: string,
  attempts: number,
  attempt: JobAttempt,
  finishedAt: number,
): JobReport {
  const report: { -readonly [K in keyof JobReport]: JobReport[K] } = {
    jobId,
    batchId: job.batchId,
    instance: job.instance,
    action: job.action,
    identifier: job.identifier,
    attempts,
    finishedAt: isoOf(finishedAt),
    status: attempt.ok ? 'succeeded' : 'failed',
  };
  if (!attempt.ok) {
    report.error = { code: attempt.error.code, message: attempt.error.message };
    if (attempt.change) report.change = attempt.change;
    return report;
  }
  if (attempt.state) report.state = attempt.state;
  if (attempt.outcome) report.outcome = attempt.outcome;
  if (attempt.role) report.role = attempt.role;
  if (attempt.detail) report.detail = attempt.detail;
  if (attempt.partial) report.partial = true;
  if (attempt.confirmedOnRetry) report.confirmedOnRetry = true;
  return report;
}
