import { mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BatchReport, type JobReport, totalsOf } from '@orchester/runtime';
import { describe, expect, it } from 'vitest';
import { INLINE_REPORT_LIMITS, InlineReports, statusOfInline } from './inline-reports.js';

const job = (batchId: string, identifier: string, extra: Partial<JobReport> = {}): JobReport => ({
  jobId: `${batchId}.toy-a.add.${identifier}`,
  batchId,
  instance: 'toy-a',
  action: 'add',
  identifier,
  status: 'succeeded',
  attempts: 1,
  finishedAt: '2026-01-02T03:04:05.000Z',
  ...extra,
});

const reportOf = (batchId: string, jobs: JobReport[]): BatchReport => ({
  batchId,
  totals: totalsOf(jobs),
  jobs,
});

const folder = () => join(mkdtempSync(join(tmpdir(), 'orchester-inline-')), 'batches');

describe('inline batch reports', () => {
  it('keep every field of every job, owner-only', () => {
    const reports = new InlineReports(folder());
    const jobs = [
      job('b1', 'ada', { outcome: 'added', confirmedOnRetry: true, attempts: 2 }),
      job('b1', 'bob', {
        status: 'failed',
        error: { code: 'ORCH_TRANSIENT', message: 'toy: connection lost' },
        change: { outcome: 'added', confirmed: false },
        attempts: 4,
      }),
      job('b1', 'cy', { action: 'check', state: 'member', partial: true }),
    ];
    const started = new Date('2026-01-02T03:00:00.000Z');
    const ended = new Date('2026-01-02T03:05:00.000Z');
    expect(reports.save(reportOf('b1', jobs), started, ended).kept).toBe(true);
    const found = reports.find('b1');
    expect(found).toEqual({
      ...reportOf('b1', jobs),
      inline: true,
      startedAt: started.toISOString(),
      finishedAt: ended.toISOString(),
    });
    expect(statSync(reports.dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(reports.dir, 'b1.jsonl')).mode & 0o777).toBe(0o600);
    expect(reports.find('b2')).toBeUndefined();
    expect(statusOfInline(found!)).toMatchObject({
      total: 3,
      done: 3,
      succeeded: 2,
      failed: 1,
      waiting: 0,
      finished: true,
      instances: [{ instance: 'toy-a', total: 3, byError: { ORCH_TRANSIENT: 1 } }],
    });
  });

  it('keep the newest within the count and the total size, and none past the age', () => {
    const dir = folder();
    const reports = new InlineReports(dir, {
      ...INLINE_REPORT_LIMITS,
      count: 3,
      totalBytes: 10_000_000,
    });
    const now = Date.now();
    for (let i = 1; i <= 5; i++) {
      reports.save(reportOf(`b${i}`, [job(`b${i}`, 'ada')]), new Date(now), new Date(now));
      // Older files first: b1 the oldest.
      const at = new Date(now - (10 - i) * 1_000);
      utimesSync(join(dir, `b${i}.jsonl`), at, at);
    }
    expect(readdirSync(dir).sort()).toEqual(['b3.jsonl', 'b4.jsonl', 'b5.jsonl']);
    const old = new Date(now - INLINE_REPORT_LIMITS.ageMs - 60_000);
    utimesSync(join(dir, 'b3.jsonl'), old, old);
    reports.save(reportOf('b6', [job('b6', 'ada')]), new Date(now), new Date(now));
    expect(readdirSync(dir).sort()).toEqual(['b4.jsonl', 'b5.jsonl', 'b6.jsonl']);

    // Three reports of one size, room for two and a half: the oldest goes.
    const sized = folder();
    const probe = new InlineReports(sized);
    probe.save(reportOf('c0', [job('c0', 'ada')]), new Date(now), new Date(now));
    const size = statSync(join(sized, 'c0.jsonl')).size;
    const bounded = new InlineReports(sized, {
      ...INLINE_REPORT_LIMITS,
      totalBytes: Math.floor(size * 2.5),
    });
    for (let i = 1; i <= 3; i++) {
      const at = new Date(now - (10 - i) * 1_000);
      utimesSync(join(sized, `c${i - 1}.jsonl`), at, at);
      bounded.save(reportOf(`c${i}`, [job(`c${i}`, 'ada')]), new Date(now), new Date(now));
    }
    expect(readdirSync(sized).sort()).toEqual(['c2.jsonl', 'c3.jsonl']);
  });

  it('do not keep a report over the size limit, and refuse a damaged file', () => {
    const dir = folder();
    const reports = new InlineReports(dir, { ...INLINE_REPORT_LIMITS, fileBytes: 1_000 });
    const many = Array.from({ length: 20 }, (_, i) => job('big', `p${i}`));
    expect(reports.save(reportOf('big', many), new Date(), new Date())).toMatchObject({
      kept: false,
    });
    expect(reports.find('big')).toBeUndefined();
    reports.save(reportOf('cut', [job('cut', 'ada'), job('cut', 'bob')]), new Date(), new Date());
    writeFileSync(join(dir, 'cut.jsonl'), '{"batchId":"cut","inline":true,"jobs":2}\n{"jobId"');
    expect(() => reports.find('cut')).toThrow(/cut\.jsonl is not a report orchester kept/);
  });
});
