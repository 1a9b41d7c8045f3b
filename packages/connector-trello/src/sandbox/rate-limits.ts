import { FixedWindowLimiter, type SandboxResponse, type WindowHit } from '@orchester/sandbox';
import type { TrelloSandboxState } from './state.js';

interface Limiters {
  readonly key: FixedWindowLimiter;
  readonly token: FixedWindowLimiter;
  /** 429s answered per key and window, for Trello's "more than 200 429s" block. */
  readonly refusals: FixedWindowLimiter;
  /** Requests per token to `/1/members/{id}`. */
  readonly members: FixedWindowLimiter;
}

// Kept beside the state, not in it: `/_sandbox/reset` makes a new state and so new windows.
const byState = new WeakMap<TrelloSandboxState, Limiters>();

function limitersOf(state: TrelloSandboxState): Limiters {
  let found = byState.get(state);
  if (!found) {
    const { perKey, perToken, windowMs, keyBlockAfter429s } = state.limits;
    found = {
      key: new FixedWindowLimiter(perKey, windowMs),
      token: new FixedWindowLimiter(perToken, windowMs),
      refusals: new FixedWindowLimiter(keyBlockAfter429s, windowMs),
      members: new FixedWindowLimiter(state.limits.membersRoute, state.limits.membersRouteWindowMs),
    };
    byState.set(state, found);
  }
  return found;
}

function headersOf(
  scope: 'key' | 'token',
  hit: WindowHit,
  windowMs: number,
): Record<string, string> {
  return {
    [`x-rate-limit-api-${scope}-interval-ms`]: String(windowMs),
    [`x-rate-limit-api-${scope}-max`]: String(hit.limit),
    [`x-rate-limit-api-${scope}-remaining`]: String(hit.remaining),
  };
}

const LIMIT_ERRORS = {
  key: 'API_KEY_LIMIT_EXCEEDED',
  token: 'API_TOKEN_LIMIT_EXCEEDED',
  members: 'MEMBER_LIMIT_EXCEEDED',
} as const;

/** Trello's 429: JSON, unlike its other errors, naming the limit that was reached. */
export function limitExceeded(
  scope: keyof typeof LIMIT_ERRORS,
  headers: Record<string, string>,
): SandboxResponse {
  return {
    status: 429,
    headers,
    body: { error: LIMIT_ERRORS[scope], message: 'Rate limit exceeded' },
  };
}

/**
 * Counts a request to `/1/members/{id}` against its token's route limit (after the key and token
 * limits, which it also counts against). Nested routes (`/1/members/me/boards`) do not count.
 */
export function admitMembersRoute(
  state: TrelloSandboxState,
  key: string,
  token: string,
  headers: Record<string, string>,
): SandboxResponse | undefined {
  const limiters = limitersOf(state);
  if (limiters.members.hit(token).ok) return undefined;
  limiters.refusals.hit(key);
  return limitExceeded('members', headers);
}

/** Counts a request against its key; a 429 when the key is over its limit (or blocked). */
export function admitKey(
  state: TrelloSandboxState,
  key: string,
): { headers: Record<string, string>; refused?: SandboxResponse } {
  const limiters = limitersOf(state);
  const blocked = limiters.refusals.peek(key).remaining === 0;
  const hit = blocked ? { ...limiters.key.peek(key), ok: false } : limiters.key.hit(key);
  const headers = headersOf('key', hit, state.limits.windowMs);
  if (hit.ok) return { headers };
  limiters.refusals.hit(key);
  return { headers, refused: limitExceeded('key', headers) };
}

/** Counts a request against its token, after its key. */
export function admitToken(
  state: TrelloSandboxState,
  key: string,
  token: string,
  keyHeaders: Record<string, string>,
): { headers: Record<string, string>; refused?: SandboxResponse } {
  const limiters = limitersOf(state);
  const hit = limiters.token.hit(token);
  const headers = { ...keyHeaders, ...headersOf('token', hit, state.limits.windowMs) };
  if (hit.ok) return { headers };
  limiters.refusals.hit(key);
  return { headers, refused: limitExceeded('token', headers) };
}
