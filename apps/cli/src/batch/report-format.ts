import type { BatchReport } from '@orchester/runtime';

const COLUMNS = [
  'instance',
  'action',
  'identifier',
  'result',
  'error_code',
  'message',
  'attempts',
  'finished_at',
  'confirmed_on_retry',
  'failed_change',
] as const;

/**
 * One CSV cell. A text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or CR
 * first: OWASP's "CSV injection") gets a `'` in front, so it opens as text.
 */
export function cell(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The report as CSV: one row per job with its outcome (or state) or its error code and message;
 * whether the change was an earlier attempt's, confirmed on a retry; and what a failed job
 * changed anyway (`invited`), or may have (`invited (unconfirmed)`).
 */
export function reportCsv(report: BatchReport): string {
  const lines = [COLUMNS.join(',')];
  for (const job of report.jobs) {
    lines.push(
      [
        job.instance,
        job.action,
        job.identifier,
        job.status === 'succeeded' ? (job.outcome ?? job.state ?? 'done') : 'failed',
        job.error?.code,
        job.error?.message ?? job.detail,
        job.attempts,
        job.finishedAt,
        job.confirmedOnRetry ? 'true' : '',
        job.change ? `${job.change.outcome}${job.change.confirmed ? '' : ' (unconfirmed)'}` : '',
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
