import {
  AuthenticationError,
  retryAfterMs as askedWaitMs,
  ConfigError,
  ConflictError,
  InternalError,
  NotFoundError,
  type OrchesterError,
  PermissionError,
  RateLimitedError,
  RejectedError,
  redact,
  TransientError,
} from '@orchester/core';
import { TRELLO_LIMITS } from './config.js';

/** What a request was about, so that "model not found" can say which thing is missing. */
export type TrelloSubject = 'member' | 'organization' | 'membership' | 'other';

export interface TrelloFailure {
  readonly status: number;
  /** The answer's body as text: Trello sends most errors as plain text, 429s as JSON. */
  readonly text: string;
  readonly headers: Headers;
}

export interface FailureContext {
  readonly subject: TrelloSubject;
  /** Names the thing looked up (a username, the workspace), never a credential. */
  readonly name: string;
}

// Plain-text errors are short fixed phrases; anything longer is cut so an echoed request cannot flood a log.
function phrase(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return redact(line.length > 120 ? `${line.slice(0, 120)}…` : line);
}

function jsonError(text: string): { error?: string; message?: string } {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as { error?: string; message?: string })
      : {};
  } catch {
    return {};
  }
}

/**
 * How long Trello wants us to wait. It sends no `Retry-After` (undocumented), but it tells the
 * window length in `x-rate-limit-api-{token,key}-interval-ms`; waiting one window is always enough.
 */
export function retryAfterMs(headers: Headers, scope: 'token' | 'key'): number {
  const asked = askedWaitMs(headers);
  if (asked !== undefined && asked > 0) return asked;
  const interval = Number(headers.get(`x-rate-limit-api-${scope}-interval-ms`));
  return Number.isFinite(interval) && interval > 0 ? interval : TRELLO_LIMITS.windowMs;
}

/** Maps one failed Trello answer to orchester's error classes. */
export function errorForFailure(failure: TrelloFailure, context: FailureContext): OrchesterError {
  const { status } = failure;
  const said = phrase(failure.text);
  const details = { status, trello: said };
  if (status === 429) {
    const body = jsonError(failure.text);
    if (body.error === 'MEMBER_LIMIT_EXCEEDED') {
      // A fixed window of 900 s whose start Trello does not say: one whole window is enough.
      const wait = TRELLO_LIMITS.membersRouteWindowMs;
      return new RateLimitedError(
        `Trello's limit on /1/members/ (${TRELLO_LIMITS.membersRoute} requests per ${wait / 1000} s per token) reached; waiting ${wait / 1000} s`,
        wait,
        { details: { status, trello: body.error } },
      );
    }
    const scope = body.error === 'API_KEY_LIMIT_EXCEEDED' ? 'key' : 'token';
    const wait = retryAfterMs(failure.headers, scope);
    return new RateLimitedError(
      `Trello rate limit per ${scope === 'key' ? 'API key' : 'token'} reached (${body.error ?? 'rate limit exceeded'}); waiting ${Math.ceil(wait / 1000)} s`,
      wait,
      { details: { status, trello: body.error ?? said } },
    );
  }
  if (status === 401 || status === 403) {
    if (
      /unauthorized permission requested|unauthorized/i.test(said) &&
      !/invalid|expired/i.test(said)
    ) {
      return new PermissionError(
        `Trello refused: ${said}. The token needs scope read,write, and its owner must be an admin of the workspace; run "orchest generate trello" as an admin`,
        { details },
      );
    }
    if (/key/i.test(said)) {
      return new AuthenticationError(
        `Trello did not accept the API key (${said}); check api_key (https://trello.com/power-ups/admin)`,
        { details },
      );
    }
    return new AuthenticationError(
      `Trello did not accept the token (${said || status}); run "orchest generate trello" for a new one`,
      { details },
    );
  }
  if (status === 404 || (status === 400 && /^invalid id$/i.test(said))) {
    if (context.subject === 'organization') {
      return new ConfigError(
        `Trello has no workspace "${context.name}" that this token can see (${said}); check "organization" (the id or the short name in trello.com/w/NAME)`,
        { details },
      );
    }
    if (context.subject === 'member') {
      return new NotFoundError(`Trello has no member "${context.name}" (${said})`, { details });
    }
    if (context.subject === 'membership') {
      return new NotFoundError(
        `"${context.name}" is not (or no longer) in the Trello workspace (${said})`,
        { details },
      );
    }
    return new NotFoundError(`Trello answered ${status}: ${said}`, { details });
  }
  if (status === 409)
    return new ConflictError(`Trello refused because of the current state: ${said}`, { details });
  if (status === 400 || status === 422)
    return new RejectedError(`Trello refused the request: ${said}`, { details });
  if (status === 408 || status >= 500)
    return new TransientError(`Trello answered ${status}${said ? `: ${said}` : ''}`, { details });
  return new InternalError(`Trello answered an unexpected ${status}${said ? `: ${said}` : ''}`, {
    details,
  });
}
