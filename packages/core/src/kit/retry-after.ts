import { type HeaderSource, headerOf } from './headers.js';

/** Epoch seconds are above this (2001-09-09); smaller reset values are seconds from now. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/**
 * How long a service asks us to wait, in ms, from the headers of its answer; undefined when
 * it says nothing usable. Reads, in order:
 * - `Retry-After`: seconds, or an HTTP date (RFC 9110 §10.2.3);
 * - `RateLimit-Reset`: seconds until the window resets (IETF RateLimit header fields draft);
 * - `X-RateLimit-Reset`: epoch seconds (GitHub, and most services), or seconds from now when
 *   the number is too small to be a date.
 * `now` is the wall clock (`Date.now()`): dates and epoch seconds are wall-clock time.
 */
export function retryAfterMs(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const retryAfter = headerOf(headers, 'retry-after')?.trim();
  if (retryAfter) {
    const wait = /^\d+(\.\d+)?$/.test(retryAfter)
      ? Number(retryAfter) * 1000
      : Date.parse(retryAfter) - now;
    if (Number.isFinite(wait)) return Math.max(0, Math.ceil(wait));
  }
  const reset = secondsOf(headerOf(headers, 'ratelimit-reset'));
  if (reset !== undefined) return Math.ceil(reset * 1000);
  const xReset = secondsOf(headerOf(headers, 'x-ratelimit-reset'));
  if (xReset !== undefined) {
    // Epoch seconds are whole seconds: one more second makes sure the window has turned.
    return xReset >= EPOCH_SECONDS_FLOOR
      ? Math.max(0, xReset * 1000 - now + 1000)
      : Math.ceil(xReset * 1000);
  }
  return undefined;
}

function secondsOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
