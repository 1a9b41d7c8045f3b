import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '@orchester/core';
import type { BatchStatus } from '@orchester/queue';
import {
  auditPathOf,
  BATCH_ID,
  type BatchReport,
  type JobReport,
  type OrchesterConfig,
  totalsOf,
} from '@orchester/runtime';

/** What is kept of inline batch reports: the newest `count`, none older than `ageMs`, within the sizes. */
export interface InlineReportLimits {
  readonly count: number;
  readonly ageMs: number;
  /** A report larger than this is not kept (a 100,000-row batch takes about 30 MB). */
  readonly fileBytes: number;
  /** All kept reports together; the oldest go first. */
  readonly totalBytes: number;
}

export const INLINE_REPORT_LIMITS: InlineReportLimits = {
  count: 100,
  ageMs: 30 * 24 * 3_600_000,
  fileBytes: 64 * 1024 * 1024,
  totalBytes: 512 * 1024 * 1024,
};

/** An inline batch's report as kept: every job's end, and when the run started and ended. */
export interface InlineBatchReport extends BatchReport {
  readonly inline: true;
  readonly startedAt: string;
  readonly finishedAt: string;
}

const SUFFIX = '.jsonl';

/**
 * The reports of batches run with `--inline`, kept beside the audit file (`batches/<id>.jsonl`
 * in its folder, `~/.orchester/batches` by default) so `orchest batch report` and `batch status`
 * find them later without Redis. The folder is owner-only (0700), each file too (0600), written
 * whole under a temporary name and renamed. A file is a header line, then one job report per
 * line, as `--json` shows it (`confirmedOnRetry`, `change` included).
 */
export class InlineReports {
  constructor(
    readonly dir: string,
    private readonly limits: InlineReportLimits = INLINE_REPORT_LIMITS,
  ) {}

  /** The folder next to config `audit.path` (default `~/.orchester/audit.jsonl`). */
  static of(config: OrchesterConfig, home: string | undefined): InlineReports {
    return new InlineReports(join(dirname(auditPathOf(config, home)), 'batches'));
  }

  private pathOf(batchId: string): string {
    if (!BATCH_ID.test(batchId)) throw new Error(`not a batch id: ${batchId}`);
    return join(this.dir, `${batchId}${SUFFIX}`);
  }

  /**
   * Keeps the report, then drops what is past the limits. Answers whether it was kept: a report
   * over `fileBytes` is not. Throws a ConfigError naming the folder when it cannot be written.
   */
  save(report: BatchReport, startedAt: Date, finishedAt: Date): { kept: boolean; bytes: number } {
    const lines = [
      JSON.stringify({
        batchId: report.batchId,
        inline: true,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        jobs: report.jobs.length,
      }),
    ];
    let bytes = lines[0]!.length + 1;
    for (const job of report.jobs) {
      const line = JSON.stringify(job);
      bytes += Buffer.byteLength(line) + 1;
      if (bytes > this.limits.fileBytes) return { kept: false, bytes };
      lines.push(line);
    }
    const target = this.pathOf(report.batchId);
    const temporary = join(this.dir, `.${report.batchId}.${process.pid}.tmp`);
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, `${lines.join('\n')}\n`);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, target);
    } catch (error) {
      try {
        unlinkSync(temporary);
      } catch {
        // nothing was written
      }
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new ConfigError(
        `the report of batch ${report.batchId} cannot be kept in ${this.dir} (${code}); fix its permissions or set "audit": {"path": "..."} in config`,
        { cause: error },
      );
    }
    this.prune(finishedAt.getTime());
    return { kept: true, bytes };
  }

  /** The kept report of an inline batch, or undefined when there is none. */
  find(batchId: string): InlineBatchReport | undefined {
    const path = this.pathOf(batchId);
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) return undefined;
      size = stat.size;
    } catch {
      return undefined;
    }
    if (size > this.limits.fileBytes)
      throw new ConfigError(
        `${path} is ${size} bytes, over the ${this.limits.fileBytes} a kept report may have`,
      );
    const [head, ...rows] = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    try {
      const header = JSON.parse(head ?? '') as Record<string, unknown>;
      const jobs = rows.map((l) => JSON.parse(l) as JobReport);
      if (
        header.batchId !== batchId ||
        typeof header.startedAt !== 'string' ||
        typeof header.finishedAt !== 'string' ||
        header.jobs !== jobs.length ||
        !jobs.every((j) => j && typeof j.jobId === 'string' && typeof j.instance === 'string')
      )
        throw new Error('unexpected content');
      return {
        batchId,
        inline: true,
        startedAt: header.startedAt,
        finishedAt: header.finishedAt,
        totals: totalsOf(jobs),
        jobs,
      };
    } catch {
      throw new ConfigError(
        `${path} is not a report orchester kept (damaged or cut short); delete it, or run the batch again`,
      );
    }
  }

  /** Drops reports past the age, beyond the count, and the oldest beyond the total size. */
  private prune(now: number): void {
    let kept: Array<{ path: string; mtime: number; size: number }>;
    try {
      kept = readdirSync(this.dir)
        .filter((name) => name.endsWith(SUFFIX) && !name.startsWith('.'))
        .map((name) => {
          const path = join(this.dir, name);
          const stat = statSync(path);
          return { path, mtime: stat.mtimeMs, size: stat.size };
        })
        .sort((a, b) => b.mtime - a.mtime);
    } catch {
      return;
    }
    let total = 0;
    kept.forEach((file, i) => {
      total += file.size;
      const drop =
        now - file.mtime > this.limits.ageMs ||
        i >= this.limits.count ||
        (i > 0 && total > this.limits.totalBytes);
      if (!drop) return;
      try {
        unlinkSync(file.path);
      } catch {
        // another run dropped it first
      }
    });
  }
}

/** Where an inline batch stands: finished, every job counted, by instance as for a queued one. */
export function statusOfInline(report: InlineBatchReport): BatchStatus {
  const byInstance = new Map<string, JobReport[]>();
  for (const job of report.jobs) {
    const list = byInstance.get(job.instance) ?? [];
    list.push(job);
    byInstance.set(job.instance, list);
  }
  return {
    batchId: report.batchId,
    createdAt: report.startedAt,
    total: report.totals.jobs,
    done: report.totals.jobs,
    succeeded: report.totals.succeeded,
    failed: report.totals.failed,
    waiting: 0,
    active: 0,
    finished: true,
    unconfirmed: 0,
    instances: [...byInstance.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([instance, jobs]) => {
        const totals = totalsOf(jobs);
        return {
          instance,
          total: totals.jobs,
          waiting: 0,
          active: 0,
          succeeded: totals.succeeded,
          failed: totals.failed,
          byResult: totals.byResult,
          byError: totals.byError,
        };
      }),
  };
}
