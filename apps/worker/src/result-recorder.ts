import type { JobReport } from '@orchester/core';

/** Where a job's end is written once (the batch store, directly or coalesced). */
export interface JobEndRecorder {
  /** Writes the end; settles when the write has landed. */
  record(report: JobReport): Promise<void>;
  /**
   * Settles once the end's write is sent, without waiting for Redis to answer: awaited before
   * a job completes, the write goes out on the connection BullMQ completes the job on, ahead
   * of that completion.
   */
  recordAhead(report: JobReport): Promise<void>;
}

/** The part of the batch store the recorder writes through. */
export interface BatchWriter {
  recordMany(batchId: string, reports: readonly JobReport[]): Promise<number>;
}

export interface ResultRecorderOptions {
  /** Called when a write sent ahead still fails after its retries. */
  onLost?(report: JobReport, error: unknown): void;
  /** Delays between retries of a refused write; the default spans about 30 s. */
  readonly retryDelaysMs?: readonly number[];
}

interface Pending {
  readonly report: JobReport;
  sent?(): void;
  landed(): void;
  refused(error: unknown): void;
}

// Bounds one Lua call, so a huge burst does not hold Redis in one script for long.
const MAX_PER_CALL = 500;
const RETRY_DELAYS_MS = [250, 1_000, 4_000, 10_000, 15_000];

/**
 * Coalesces job-end writes: the ends recorded during one turn of the event loop (a socket read
 * from Redis usually finishes many jobs at once) go to Redis as one script call per batch
 * instead of one each.
 *
 * A job completes only after its end's write is sent. Both travel on one connection, and Redis
 * runs one connection's commands in order, so a job's end is applied before its completion
 * without waiting a round trip for the answer. A write Redis refuses (an error reply; ioredis
 * resends on a dropped connection) is retried, since writes are idempotent.
 */
export class ResultRecorder implements JobEndRecorder {
  private pending = new Map<string, Pending[]>();
  private scheduled = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly delays: readonly number[];

  constructor(
    private readonly writer: BatchWriter,
    private readonly options: ResultRecorderOptions = {},
  ) {
    this.delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  }

  record(report: JobReport): Promise<void> {
    return new Promise<void>((landed, refused) => this.enqueue({ report, landed, refused }));
  }

  recordAhead(report: JobReport): Promise<void> {
    return new Promise<void>((sent) => {
      const landing = new Promise<void>((landed, refused) =>
        this.enqueue({ report, sent, landed, refused }),
      ).catch((error: unknown) => this.retry(report, error, 0));
      this.track(landing);
    });
  }

  private enqueue(entry: Pending): void {
    let list = this.pending.get(entry.report.batchId);
    if (!list) {
      list = [];
      this.pending.set(entry.report.batchId, list);
    }
    list.push(entry);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Resolves once every write sent so far has landed or been given up. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async retry(report: JobReport, error: unknown, attempt: number): Promise<void> {
    const delay = this.delays[attempt];
    if (delay === undefined) {
      this.options.onLost?.(report, error);
      return;
    }
    await new Promise((r) => setTimeout(r, delay));
    try {
      await this.writer.recordMany(report.batchId, [report]);
    } catch (again) {
      await this.retry(report, again, attempt + 1);
    }
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = new Map();
    for (const [batchId, list] of pending) {
      for (let i = 0; i < list.length; i += MAX_PER_CALL) {
        const chunk = list.slice(i, i + MAX_PER_CALL);
        let write: Promise<number>;
        try {
          write = this.writer.recordMany(
            batchId,
            chunk.map((p) => p.report),
          );
        } catch (error) {
          write = Promise.reject(error);
        }
        for (const p of chunk) p.sent?.();
        write.then(
          () => {
            for (const p of chunk) p.landed();
          },
          (error: unknown) => {
            for (const p of chunk) p.refused(error);
          },
        );
      }
    }
  }
}
