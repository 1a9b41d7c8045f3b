import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  type OrchesterError,
  PermissionError,
  RateLimitedError,
  RejectedError,
  TransientError,
} from '@orchester/core';

/** Waits the service asked for: `Retry-After` in seconds or as an HTTP date, else 60 s. */
export function retryAfterMs(headers: Headers, now: number): number {
  const value = headers.get('retry-after');
  if (value && /^\d+$/.test(value)) return Number(value) * 1000;
  const date = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? 60_000 : Math.max(0, date - now);
}

/** The orchester error a refusal means. `doing` says what was being done, never a secret. */
export function errorForStatus(
  status: number,
  message: string,
  doing: string,
  headers: Headers,
  now: number,
): OrchesterError {
  const said = `${doing}: ${status} ${message}`;
  const details = { details: { status } };
  if (status === 401)
    return new AuthenticationError(`${said}; check "token" in the instance's config`, details);
  if (status === 403)
    return new PermissionError(`${said}; the token needs the Owner role in the group`, details);
  if (status === 404) return new NotFoundError(said, details);
  if (status === 409) return new ConflictError(said, details);
  if (status === 429) return new RateLimitedError(said, retryAfterMs(headers, now), details);
  if (status >= 500) return new TransientError(said, details);
  return new RejectedError(said, details);
}
