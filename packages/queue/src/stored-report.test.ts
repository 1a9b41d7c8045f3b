import type { JobReport } from '@orchester/runtime';
import { describe, expect, it } from 'vitest';
import { storedReportOf } from './stored-report.js';

const base = {
  jobId: 'b1.gh.add.abc',
  batchId: 'b1',
  instance: 'gh',
  action: 'add',
  identifier: 'ada',
  attempts: 2,
  finishedAt: '2026-11-28T00:00:00.000Z',
} as const;

describe('storedReportOf', () => {
  it('keeps every field but the two ids, whatever characters the values hold', () => {
    const reports: JobReport[] = [
      { ...base, status: 'succeeded', state: 'member' },
      { ...base, action: 'check', status: 'succeeded', state: 'absent', partial: true },
      {
        ...base,
        status: 'succeeded',
        outcome: 'added',
        role: 'ad"min\\',
        detail: 'line\nnext ü 𝄞',
      },
      {
        ...base,
        identifier: 'o\u0001dd\u2028',
        status: 'failed',
        error: { code: 'ORCH_TRANSIENT', message: '503 "busy"\t\u0000' },
        change: { outcome: 'invited', confirmed: false },
      },
      { ...base, status: 'succeeded', outcome: 'invited', confirmedOnRetry: true },
    ];
    for (const report of reports) {
      const { jobId: _jobId, batchId: _batchId, ...kept } = report;
      expect(JSON.parse(storedReportOf(report))).toEqual(kept);
    }
  });
});
