import {
  InvalidIdentifierError,
  PermissionError,
  RateLimitedError,
  TransientError,
} from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, decideRetry } from './retry-policy.js';

const policy = {
  ...DEFAULT_RETRY_POLICY,
  attempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  jitter: 0,
};

describe('decideRetry', () => {
  it('waits what a rate-limited service asked for, without spending an attempt', () => {
    const decision = decideRetry(
      new RateLimitedError('slow down', 7_500),
      { attemptsMade: 3, rateLimitWaits: 0 },
      policy,
    );
    expect(decision).toEqual({ action: 'retry', delayMs: 7_500, spendsAttempt: false });
  });

  it('fails a permanent error at once, whatever attempts remain', () => {
    expect(
      decideRetry(new PermissionError('no'), { attemptsMade: 1, rateLimitWaits: 0 }, policy),
    ).toEqual({
      action: 'fail',
      reason: 'permanent',
    });
    expect(
      decideRetry(new InvalidIdentifierError('bad'), { attemptsMade: 1, rateLimitWaits: 0 }, policy)
        .action,
    ).toBe('fail');
  });

  it('backs off exponentially on transient errors until attempts run out', () => {
    const delays = [1, 2, 3].map((n) =>
      decideRetry(new TransientError('503'), { attemptsMade: n, rateLimitWaits: 0 }, policy),
    );
    expect(delays).toEqual([
      { action: 'retry', delayMs: 100, spendsAttempt: true },
      { action: 'retry', delayMs: 200, spendsAttempt: true },
      { action: 'retry', delayMs: 400, spendsAttempt: true },
    ]);
    expect(
      decideRetry(new TransientError('503'), { attemptsMade: 4, rateLimitWaits: 0 }, policy),
    ).toEqual({
      action: 'fail',
      reason: 'attempts-exhausted',
    });
  });

  it('stops waiting on a limit that never lifts', () => {
    const decision = decideRetry(
      new RateLimitedError('slow', 10),
      { attemptsMade: 0, rateLimitWaits: 1_000 },
      policy,
    );
    expect(decision).toEqual({ action: 'fail', reason: 'rate-limit-waits-exhausted' });
  });
});

describe('backoffDelay', () => {
  it('caps the delay and spreads it with jitter', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(backoffDelay(10, policy)).toBe(1_000);
    expect(backoffDelay(2, jittered, () => 0)).toBe(100);
    expect(backoffDelay(2, jittered, () => 0.999999)).toBe(200);
  });
});
