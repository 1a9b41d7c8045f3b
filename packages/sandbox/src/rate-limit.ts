/** The state of one fixed window after a hit. */
export interface WindowHit {
  readonly ok: boolean;
  readonly limit: number;
  readonly remaining: number;
  readonly used: number;
  /** When the window resets, epoch ms. */
  readonly resetAt: number;
}

/**
 * Fixed-window counters keyed by token, key, method...: how GitHub, Slack and Trello count.
 * `hit` counts a request and says whether it was within the limit.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    public limit: number,
    public windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  peek(key: string): WindowHit {
    const w = this.current(key);
    return this.view(w);
  }

  hit(key: string, cost = 1): WindowHit {
    const w = this.current(key);
    if (w.count + cost > this.limit) return { ...this.view(w), ok: false };
    w.count += cost;
    return this.view(w);
  }

  reset(): void {
    this.windows.clear();
  }

  private current(key: string) {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.windowMs) {
      w = { start: now - ((now - (w?.start ?? now)) % this.windowMs), count: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  private view(w: { start: number; count: number }): WindowHit {
    return {
      ok: w.count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      used: w.count,
      resetAt: w.start + this.windowMs,
    };
  }
}
