import type { MembershipAction, MembershipOutcome, MembershipState } from '@orchester/core';
import type { JobChange } from './attempt-changes.js';

/** The end of one job, as reports, `--json` and the audit trail show it. */
export interface JobReport {
  readonly jobId: string;
  readonly batchId: string;
  readonly instance: string;
  readonly action: MembershipAction;
  readonly identifier: string;
  readonly status: 'succeeded' | 'failed';
  readonly state?: MembershipState;
  readonly outcome?: MembershipOutcome;
  readonly role?: string;
  readonly detail?: string;
  /** `check`: the service showed only part of where the person may be (see `CheckResult.partial`). */
  readonly partial?: boolean;
  /**
   * The outcome's change was sent by an earlier attempt of this job whose answer was lost (or
   * that failed after making it), and this attempt found it in place: it is orchester's change.
   */
  readonly confirmedOnRetry?: true;
  readonly error?: { readonly code: string; readonly message: string };
  /** A failed job's change that was made, or sent and may have been made (`confirmed: false`). */
  readonly change?: JobChange;
  readonly attempts: number;
  readonly finishedAt: string;
}

export interface BatchTotals {
  readonly jobs: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Succeeded jobs by outcome (`added`, `removed`...) or, for checks, by state. */
  readonly byResult: Readonly<Record<string, number>>;
  /** Failed jobs by error code. */
  readonly byError: Readonly<Record<string, number>>;
}

/** A batch as a whole: every job's end and the totals. */
export interface BatchReport {
  readonly batchId: string;
  readonly totals: BatchTotals;
  readonly jobs: readonly JobReport[];
}

export function totalsOf(jobs: readonly JobReport[]): BatchTotals {
  const byResult: Record<string, number> = {};
  const byError: Record<string, number> = {};
  let succeeded = 0;
  for (const job of jobs) {
    if (job.status === 'succeeded') {
      succeeded += 1;
      const key = job.outcome ?? job.state ?? 'done';
      byResult[key] = (byResult[key] ?? 0) + 1;
    } else {
      const key = job.error?.code ?? 'unknown';
      byError[key] = (byError[key] ?? 0) + 1;
    }
  }
  return { jobs: jobs.length, succeeded, failed: jobs.length - succeeded, byResult, byError };
}
