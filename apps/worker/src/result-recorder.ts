import type { JobReport } from '@orchester/runtime';

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
  /**
   * Makes `recordAhead` wait for the write to land, as `record` does. For a Redis Cluster: the
   * batch record's slot and a queue's slot may be on different nodes, reached on different
   * connections, so sending first no longer means applied first.
   */
  readonly awaitLanding?: boolean;
}

interface Pending {
  readonly report: JobReport;
  /** Set for a waited-for write; an end sent ahead is retried by the recorder instead. */
  landed?(): void;
  refused?(error: unknown): void;
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
  /** Settles when the pending ends are sent; one for all of them, as they go out together. */
  private sending: Promise<void> | undefined;
  private markSent: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly delays: readonly number[];

  constructor(
    private readonly writer: BatchWriter,
    private readonly options: ResultRecorderOptions = {},
  ) {
    this.delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  }

  record(report: JobReport): Promise<void> {
    return new Promise<void>((landed, refused) => {
      this.enqueue({ report, landed, refused });
    });
  }

  recordAhead(report: JobReport): Promise<void> {
    if (this.options.awaitLanding) return this.record(report);
    return this.enqueue({ report });
  }

  /** Resolves once every write sent so far has landed or been given up. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private enqueue(entry: Pending): Promise<void> {
    let list = this.pending.get(entry.report.batchId);
    if (!list) {
      list = [];
      this.pending.set(entry.report.batchId, list);
    }
    list.push(entry);
    if (!this.sending) {
      this.sending = new Promise<void>((resolve) => {
        this.markSent = resolve;
      });
      setImmediate(() => this.flush());
    }
    return this.sending;
  }

  private flush(): void {
    const pending = this.pending;
    const markSent = this.markSent;
    this.pending = new Map();
    this.sending = undefined;
    this.markSent = undefined;
    for (const [batchId, list] of pending) {
      for (let i = 0; i < list.length; i += MAX_PER_CALL)
        this.send(batchId, list.slice(i, i + MAX_PER_CALL));
    }
    markSent?.();
  }

  private send(batchId: string, chunk: readonly Pending[]): void {
    let write: Promise<number>;
    try {
      write = this.writer.recordMany(
        batchId,
        chunk.map((p) => p.report),
      );
    } catch (error) {
      write = Promise.reject(error);
    }
    const done = write.then(
      () => {
        for (const p of chunk) p.landed?.();
      },
      async (error: unknown) => {
        for (const p of chunk) p.refused?.(error);
        const ahead = chunk.filter((p) => !p.refused).map((p) => p.report);
        if (ahead.length > 0) await this.retry(batchId, ahead, error, 0);
      },
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private async retry(
    batchId: string,
    reports: readonly JobReport[],
    error: unknown,
    attempt: number,
  ): Promise<void> {
    const delay = this.delays[attempt];
    if (delay === undefined) {
      for (const report of reports) this.options.onLost?.(report, error);
      return;
    }
    await new Promise((r) => setTimeout(r, delay));
    try {
      await this.writer.recordMany(batchId, reports);
    } catch (again) {
      await this.retry(batchId, reports, again, attempt + 1);
    }
  }
}
