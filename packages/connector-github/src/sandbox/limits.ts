import { FixedWindowLimiter, type SandboxResponse } from '@orchester/sandbox';
import { basicError, validationError } from './shapes.js';
import type { EmulatedOrg, GitHubState } from './state.js';

const HOUR = 3_600_000;
const ANONYMOUS_PER_HOUR = 60;
const RATE_DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

interface Limiters {
  readonly primary: FixedWindowLimiter;
  readonly anonymous: FixedWindowLimiter;
  readonly writes: FixedWindowLimiter;
}

// Counters live beside the state (not in it) so `GET /_sandbox/state` stays plain JSON; a reset
// makes a new state and so new counters.
const limitersOf = new WeakMap<GitHubState, Limiters>();

function limiters(state: GitHubState): Limiters {
  let found = limitersOf.get(state);
  if (!found) {
    found = {
      primary: new FixedWindowLimiter(state.limits.primaryPerHour, HOUR),
      anonymous: new FixedWindowLimiter(ANONYMOUS_PER_HOUR, HOUR),
      writes: new FixedWindowLimiter(state.limits.writesPerMinute, 60_000),
    };
    limitersOf.set(state, found);
  }
  // Tests change the limits on the live state.
  found.primary.limit = state.limits.primaryPerHour;
  found.writes.limit = state.limits.writesPerMinute;
  return found;
}

/** The `x-ratelimit-*` headers of the caller's primary window. */
export function rateLimitHeaders(state: GitHubState, key: string): Record<string, string> {
  const l = limiters(state);
  const w = (key === 'anonymous' ? l.anonymous : l.primary).peek(key);
  return {
    'x-ratelimit-limit': String(w.limit),
    'x-ratelimit-remaining': String(w.remaining),
    'x-ratelimit-used': String(w.used),
    'x-ratelimit-reset': String(Math.ceil(w.resetAt / 1000)),
    'x-ratelimit-resource': 'core',
  };
}

/** Counts a request against the primary limit; GitHub's 403 with `x-ratelimit-remaining: 0` when over. */
export function hitPrimary(state: GitHubState, key: string): SandboxResponse | undefined {
  const l = limiters(state);
  const hit = (key === 'anonymous' ? l.anonymous : l.primary).hit(key);
  if (hit.ok) return undefined;
  return basicError(
    403,
    key === 'anonymous'
      ? "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
      : 'API rate limit exceeded for user ID 1000. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
    `${RATE_DOCS}#primary-rate-limit`,
  );
}

/** Counts a write against the secondary limit; GitHub's 403 "secondary rate limit" with retry-after. */
export function hitWrites(
  state: GitHubState,
  key: string,
  now = Date.now(),
): SandboxResponse | undefined {
  const hit = limiters(state).writes.hit(key);
  if (hit.ok) return undefined;
  const answer = basicError(
    403,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
    `${RATE_DOCS}#about-secondary-rate-limits`,
  );
  return {
    ...answer,
    headers: { 'retry-after': String(Math.max(1, Math.ceil((hit.resetAt - now) / 1000))) },
  };
}

/**
 * Counts an invitation against the organization's rolling cap. GitHub answers 422 "Over
 * invitation rate limit" without saying when the cap frees up; this emulator adds `retry-after`
 * (seconds until the oldest invitation in the window ages out) so clients that read it can wait
 * exactly, and clients that do not must assume the whole window.
 */
export function takeInvitation(
  state: GitHubState,
  org: EmulatedOrg,
  now = Date.now(),
): SandboxResponse | undefined {
  const windowMs = state.limits.invitationWindowMs;
  const sent = org.invitationsSent;
  while (sent.length > 0 && (sent[0] ?? 0) <= now - windowMs) sent.shift();
  if (sent.length >= state.limits.invitationCap) {
    const freeAt = (sent[0] ?? now) + windowMs;
    const answer = validationError({
      resource: 'OrganizationInvitation',
      code: 'unprocessable',
      field: 'data',
      message: 'Over invitation rate limit',
    });
    return {
      ...answer,
      headers: { 'retry-after': String(Math.max(1, Math.ceil((freeAt - now) / 1000))) },
    };
  }
  sent.push(now);
  return undefined;
}
