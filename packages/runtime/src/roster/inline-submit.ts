import { auditJobEnds, type JobAuditOptions } from '../audit/record-jobs.js';
import { type InlineRunOptions, runJobsInline } from '../inline-runner.js';
import type { SubmitJobs } from './jobs.js';

/** A `SubmitJobs` that runs the batch in this process, auditing every job's end when asked. */
export function inlineSubmit(
  options: InlineRunOptions & { readonly audit?: JobAuditOptions },
): SubmitJobs {
  const { audit, ...run } = options;
  const record = audit ? auditJobEnds(audit) : undefined;
  return (batchId, jobs) =>
    runJobsInline(batchId, jobs, {
      ...run,
      onJobDone: (report) => {
        record?.(report);
        run.onJobDone?.(report);
      },
    });
}
