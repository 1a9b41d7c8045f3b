import { type OrchesterError, RateLimitedError } from '@orchester/core';

/** How the inline runner and the worker retry: one policy, one place. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Rate-limit waits do not count. */
  readonly attempts: number;
  /** Delay before the second attempt; doubles each time. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Share of the delay that is random (0 none, 1 "full jitter"). */
  readonly jitter: number;
  /** Rate-limit waits allowed for one job before it fails, so a stuck limit cannot loop forever. */
  readonly maxRateLimitWaits: number;
}

/**
 * The most attempts a policy may allow (config `retry.attempts`). Queued jobs carry it as BullMQ's
 * `attempts`, a ceiling only: the worker's own policy fails a job before it is reached.
 */
export const MAX_ATTEMPTS = 100;

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  attempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  jitter: 0.5,
  maxRateLimitWaits: 1_000,
});

export type RetryDecision =
  | { readonly action: 'retry'; readonly delayMs: number; readonly spendsAttempt: boolean }
  | {
      readonly action: 'fail';
      readonly reason: 'permanent' | 'attempts-exhausted' | 'rate-limit-waits-exhausted';
    };

/** Exponential backoff with jitter for the attempt that just failed (1 = the first). */
export function backoffDelay(
  attemptsMade: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(exp * (1 - jitter) + exp * jitter * random());
}

/**
 * What to do after a failed attempt. A rate-limited error waits what the service asked for and
 * does not spend an attempt; a permanent error fails at once; others back off until attempts run out.
 */
export function decideRetry(
  error: OrchesterError,
  counts: { readonly attemptsMade: number; readonly rateLimitWaits: number },
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): RetryDecision {
  if (error instanceof RateLimitedError || error.code === 'ORCH_RATE_LIMITED') {
    if (counts.rateLimitWaits >= policy.maxRateLimitWaits) {
      return { action: 'fail', reason: 'rate-limit-waits-exhausted' };
    }
    const asked = (error as RateLimitedError).retryAfterMs ?? 0;
    return { action: 'retry', delayMs: Math.max(asked, 1), spendsAttempt: false };
  }
  if (!error.retryable) return { action: 'fail', reason: 'permanent' };
  if (counts.attemptsMade >= policy.attempts)
    return { action: 'fail', reason: 'attempts-exhausted' };
  return {
    action: 'retry',
    delayMs: backoffDelay(counts.attemptsMade, policy, random),
    spendsAttempt: true,
  };
}
