import type { BatchReport } from '@orchester/core';

const COLUMNS = [
  'instance',
  'action',
  'identifier',
  'result',
  'error_code',
  'message',
  'attempts',
  'finished_at',
] as const;

function cell(value: string | number | undefined): string {
  const s = value === undefined ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report as CSV: one row per job with its outcome (or state) or its error code and message. */
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
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
