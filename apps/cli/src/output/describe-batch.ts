import type { BatchReport } from '@orchester/runtime';
import type { Paint } from './colour.js';
import { describeJobReport } from './describe-job.js';

/** Every job's line, then one summary line with the totals by outcome and by error. */
export function describeBatch(report: BatchReport, paint?: Paint): string[] {
  const t = report.totals;
  const ok = Object.entries(t.byResult).map(([k, n]) => `${k} ${n}`);
  const bad = Object.entries(t.byError).map(([k, n]) => `${k} ${n}`);
  return [
    ...report.jobs.map((row) => describeJobReport(row, paint)),
    `Batch ${report.batchId}: ${t.jobs} jobs, ${t.succeeded} succeeded${ok.length > 0 ? ` (${ok.join(', ')})` : ''}, ${t.failed} failed${bad.length > 0 ? ` (${bad.join(', ')})` : ''}.`,
  ];
}
