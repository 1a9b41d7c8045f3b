import { FixedWindowLimiter, type SandboxRequest, type SandboxResponse } from '@orchester/sandbox';
import { basicError, CREATE_INVITATION_DOCS, validationError } from './shapes.js';
import type { EmulatedOrg, GitHubState } from './state.js';

const HOUR = 3_600_000;
const ANONYMOUS_PER_HOUR = 60;
const RATE_DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

interface Limiters {
  readonly primary: FixedWindowLimiter;
  readonly anonymous: FixedWindowLimiter;
  readonly writesPerMinute: FixedWindowLimiter;
  readonly writesPerHour: FixedWindowLimiter;
  readonly points: FixedWindowLimiter;
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
      writesPerMinute: new FixedWindowLimiter(state.limits.writesPerMinute, 60_000),
      writesPerHour: new FixedWindowLimiter(state.limits.writesPerHour, HOUR),
      points: new FixedWindowLimiter(state.limits.pointsPerMinute, 60_000),
    };
    limitersOf.set(state, found);
  }
  // Tests change the limits on the live state.
  found.primary.limit = state.limits.primaryPerHour;
  found.writesPerMinute.limit = state.limits.writesPerMinute;
  found.writesPerHour.limit = state.limits.writesPerHour;
  found.points.limit = state.limits.pointsPerMinute;
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

/** The endpoint a request went to, as a method and a path whose parameters are blanked. */
function endpointOf(req: SandboxRequest): string {
  const values = new Set(Object.values(req.params));
  const shape = req.path
    .split('/')
    .map((part) => (values.has(decodeURIComponent(part)) ? ':' : part))
    .join('/');
  return `${req.method} ${shape}`;
}

/**
 * Counts a request against GitHub's secondary limits: 900 points a minute per endpoint (a read
 * costs 1, a write 5), and content-generating requests (the emulator counts every write) at 80 a
 * minute and 500 an hour. Over any of them: GitHub's 403 "secondary rate limit" with `retry-after`.
 */
export function hitSecondary(
  state: GitHubState,
  key: string,
  req: SandboxRequest,
  now = Date.now(),
): SandboxResponse | undefined {
  const l = limiters(state);
  const write = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
  const checks: Array<() => ReturnType<FixedWindowLimiter['hit']>> = [
    () => l.points.hit(`${key} ${endpointOf(req)}`, write ? 5 : 1),
    ...(write ? [() => l.writesPerMinute.hit(key), () => l.writesPerHour.hit(key)] : []),
  ];
  for (const check of checks) {
    const hit = check();
    if (hit.ok) continue;
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
  return undefined;
}

/** GitHub's cap for an organization: 500 a day when paid or older than a month, else 50. */
export function invitationCapOf(state: GitHubState, org: EmulatedOrg, now = Date.now()): number {
  if (state.limits.invitationCap !== null) return state.limits.invitationCap;
  const monthOld = new Date(org.createdAt);
  monthOld.setUTCMonth(monthOld.getUTCMonth() + 1);
  return org.plan === 'paid' || monthOld.getTime() < now ? 500 : 50;
}

/**
 * Counts an invitation against the organization's rolling 24-hour cap. Over it, GitHub's 422
 * "Over invitation rate limit", which says nothing about when the cap frees up.
 */
export function takeInvitation(
  state: GitHubState,
  org: EmulatedOrg,
  now = Date.now(),
): SandboxResponse | undefined {
  const windowMs = state.limits.invitationWindowMs;
  const sent = org.invitationsSent;
  while (sent.length > 0 && (sent[0] ?? 0) <= now - windowMs) sent.shift();
  if (sent.length >= invitationCapOf(state, org, now)) {
    return validationError(
      {
        resource: 'OrganizationInvitation',
        code: 'unprocessable',
        field: 'data',
        message: 'Over invitation rate limit',
      },
      CREATE_INVITATION_DOCS,
    );
  }
  sent.push(now);
  return undefined;
}
