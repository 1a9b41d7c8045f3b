import type { JobReport } from '@orchester/runtime';

/**
 * A job's end as the batch keeps it: JSON without the job id (the hash field) and batch id (the
 * key), which the reader puts back.
 */
export function storedReportOf(report: JobReport): string {
  const { jobId: _jobId, batchId: _batchId, ...kept } = report;
  return JSON.stringify(kept);
}
