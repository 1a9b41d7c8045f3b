import type { JobReport } from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { reportCsv } from '../batch/report-format.js';
import { describeJobReport } from './describe-job.js';

const base = {
  jobId: 'b1.gh.add.x',
  batchId: 'b1',
  instance: 'github-corp',
  action: 'add',
  identifier: 'ada',
  attempts: 3,
  finishedAt: '2026-11-30T12:00:00.000Z',
} as const;

const lost: JobReport = {
  ...base,
  status: 'failed',
  error: { code: 'ORCH_TRANSIENT', message: 'GitHub answered 502' },
  change: { outcome: 'invited', confirmed: false },
};
const confirmed: JobReport = {
  ...base,
  status: 'succeeded',
  outcome: 'invited',
  role: 'member',
  detail: 'sent by an earlier attempt whose answer was lost, confirmed on a retry',
  confirmedOnRetry: true,
};

describe('a job whose change outlived its answer', () => {
  it('a failure says the change may have been made, and how to find out', () => {
    expect(describeJobReport(lost)).toBe(
      'ada: add failed in github-corp: GitHub answered 502 (it may have been invited to github-corp: the service\'s answer was lost; "orchest check" tells)',
    );
    expect(describeJobReport({ ...lost, change: { outcome: 'invited', confirmed: true } })).toBe(
      'ada: add failed in github-corp: GitHub answered 502 (it was invited to github-corp before the failure)',
    );
  });

  it('a change confirmed on a retry reads as made, and the CSV says so in columns of its own', () => {
    expect(describeJobReport(confirmed)).toBe(
      'ada: invited to github-corp (role member; sent by an earlier attempt whose answer was lost, confirmed on a retry)',
    );
    const [header, okRow, failedRow] = reportCsv({
      batchId: 'b1',
      totals: { jobs: 2, succeeded: 1, failed: 1, byResult: {}, byError: {} },
      jobs: [confirmed, lost],
    }).split('\n');
    expect(header?.split(',').slice(-2)).toEqual(['confirmed_on_retry', 'failed_change']);
    expect(okRow?.split(',').slice(-2)).toEqual(['true', '']);
    expect(failedRow?.split(',').slice(-2)).toEqual(['', 'invited (unconfirmed)']);
  });
});

describe('the batch report as CSV', () => {
  it('guards cells a spreadsheet would run as formulas', () => {
    const csv = reportCsv({
      batchId: 'b1',
      totals: { jobs: 1, succeeded: 0, failed: 1, byResult: {}, byError: {} },
      jobs: [
        {
          ...base,
          identifier: '=HYPERLINK("http://x.example","y")',
          status: 'failed',
          error: { code: 'ORCH_NOT_FOUND', message: '@SUM(1+1)' },
        },
        { ...base, identifier: '+1', status: 'succeeded', outcome: 'added', detail: '-2' },
      ],
    });
    const [, first, second] = csv.split('\n');
    expect(first).toBe(
      `github-corp,add,"'=HYPERLINK(""http://x.example"",""y"")",failed,ORCH_NOT_FOUND,'@SUM(1+1),3,2026-11-30T12:00:00.000Z,,`,
    );
    expect(second?.split(',').slice(2, 6)).toEqual(["'+1", 'added', '', "'-2"]);
  });
});
