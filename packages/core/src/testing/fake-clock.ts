import type { Clock } from '../clock.js';

/**
 * A clock that moves only when told. `sleep` resolves when `advance` passes its deadline;
 * `runAll` advances through every pending sleep, so retry schedules run instantly in tests.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly sleepers: Array<{
    at: number;
    resolve: () => void;
    reject: (e: unknown) => void;
  }> = [];
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const entry = { at: this.current + ms, resolve, reject };
      this.sleepers.push(entry);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  /** Moves time forward by `ms`, waking sleepers in deadline order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flush();
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.current = Math.max(this.current, next.at);
      next.resolve();
    }
    this.current = target;
    await flush();
  }

  /** Advances until nothing sleeps any more (bounded, so a bug cannot hang a test). */
  async runAll(maxSteps = 100_000): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      await flush();
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift();
      if (!next) return;
      this.current = Math.max(this.current, next.at);
      next.resolve();
    }
    throw new Error('FakeClock.runAll: too many steps');
  }

  get pending(): number {
    return this.sleepers.length;
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}
