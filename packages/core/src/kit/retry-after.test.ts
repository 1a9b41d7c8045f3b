import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('retryAfterMs', () => {
  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }), NOW)).toBe(7000);
  });

  it('reads Retry-After as an HTTP date', () => {
    const at = new Date(NOW + 90_000).toUTCString();
    expect(retryAfterMs(new Headers({ 'retry-after': at }), NOW)).toBe(90_000);
  });

  it('never asks for a negative wait when the date is past', () => {
    const at = new Date(NOW - 5_000).toUTCString();
    expect(retryAfterMs({ 'retry-after': at }, NOW)).toBe(0);
  });

  it('reads RateLimit-Reset as seconds from now', () => {
    expect(retryAfterMs({ 'ratelimit-reset': '12' }, NOW)).toBe(12_000);
  });

  it('reads X-RateLimit-Reset as epoch seconds, one second past the reset', () => {
    const reset = String(NOW / 1000 + 30);
    expect(retryAfterMs({ 'x-ratelimit-reset': reset }, NOW)).toBe(31_000);
  });

  it('reads a small X-RateLimit-Reset as seconds from now', () => {
    expect(retryAfterMs({ 'X-RateLimit-Reset': 20 }, NOW)).toBe(20_000);
  });

  it('prefers Retry-After to the reset headers', () => {
    expect(retryAfterMs({ 'retry-after': '3', 'ratelimit-reset': '40' }, NOW)).toBe(3000);
  });

  it('says nothing when no header is usable', () => {
    expect(retryAfterMs({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
    expect(retryAfterMs(new Headers(), NOW)).toBeUndefined();
    expect(retryAfterMs(undefined, NOW)).toBeUndefined();
  });
});
