import type { JobReport } from '@orchester/core';

/** Where a job's end is written once (the batch store, directly or coalesced). */
export interface JobEndRecorder {
  record(report: JobReport): Promise<void>;
}

/** The part of the batch store the recorder writes through. */
export interface BatchWriter {
  recordMany(batchId: string, reports: readonly JobReport[]): Promise<number>;
}

interface Pending {
  readonly report: JobReport;
  resolve(): void;
  reject(error: unknown): void;
}

// Bounds one Lua call, so a huge burst does not hold Redis in one script for long.
const MAX_PER_CALL = 500;

/**
 * Coalesces job-end writes: the ends recorded during one turn of the event loop (a socket read
 * from Redis usually finishes many jobs at once) go to Redis as one script call per batch
 * instead of one each. Every caller's promise settles only when its own write has landed, so a
 * job still completes in BullMQ only after its end is in the batch; a failed write fails every
 * job of that call, exactly as a failed single write would.
 */
export class ResultRecorder implements JobEndRecorder {
  private pending = new Map<string, Pending[]>();
  private scheduled = false;

  constructor(private readonly writer: BatchWriter) {}

  record(report: JobReport): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let list = this.pending.get(report.batchId);
      if (!list) {
        list = [];
        this.pending.set(report.batchId, list);
      }
      list.push({ report, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = new Map();
    for (const [batchId, list] of pending) {
      for (let i = 0; i < list.length; i += MAX_PER_CALL) {
        const chunk = list.slice(i, i + MAX_PER_CALL);
        this.writer
          .recordMany(
            batchId,
            chunk.map((p) => p.report),
          )
          .then(
            () => {
              for (const p of chunk) p.resolve();
            },
            (error: unknown) => {
              for (const p of chunk) p.reject(error);
            },
          );
      }
    }
  }
}
