import type { Rate } from '@orchester/core';

/**
 * At most `rate.max` starts in any `rate.durationMs` window (a sliding log, so no window edge
 * lets a double burst through). `delay()` says how long to wait before the next start.
 */
export class RateWindow {
  private readonly starts: number[] = [];
  constructor(private readonly rate: Rate) {}

  /** Milliseconds until a start is allowed at `now`; 0 when one is allowed now. */
  delay(now: number): number {
    while (this.starts.length > 0 && this.starts[0]! <= now - this.rate.durationMs)
      this.starts.shift();
    if (this.starts.length < this.rate.max) return 0;
    return this.starts[0]! + this.rate.durationMs - now;
  }

  record(now: number): void {
    this.starts.push(now);
  }
}
