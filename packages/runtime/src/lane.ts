import type { Clock, ConnectorLimits } from '@orchester/core';
import { RateWindow } from './rate-window.js';

/**
 * One instance's share of a run in this process (inline jobs, a roster's snapshots): its slots,
 * its rate window, its rate-limit pause and its write lock.
 */
export class Lane {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private writeChain: Promise<void> = Promise.resolve();
  private readonly window: RateWindow | undefined;
  pausedUntil = 0;

  constructor(
    private readonly limits: ConnectorLimits,
    readonly serialWrites: boolean,
  ) {
    this.window = limits.rate ? new RateWindow(limits.rate) : undefined;
  }

  async acquire(): Promise<void> {
    if (this.active < this.limits.concurrency) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }

  /** Waits out a rate-limit pause and the rate window, then records the start. */
  async admit(clock: Clock, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const now = clock.now();
      const wait = Math.max(this.pausedUntil - now, this.window?.delay(now) ?? 0);
      if (wait <= 0) break;
      await clock.sleep(wait, signal);
    }
    this.window?.record(clock.now());
  }

  /** Runs `fn` after every earlier write of this lane has finished. */
  serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeChain.then(fn);
    this.writeChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
