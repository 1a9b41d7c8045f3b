import {
  AuthenticationError,
  ConflictError,
  InternalError,
  NotFoundError,
  type OrchesterError,
  PermissionError,
  RateLimitedError,
  RejectedError,
  TransientError,
} from '../errors.js';
import type { HeaderSource } from './headers.js';
import { retryAfterMs } from './retry-after.js';

/** A service's answer that was not a success, as `errorForStatus` reads it. */
export interface FailedAnswer {
  readonly status: number;
  readonly headers?: HeaderSource;
  /** The service's own words (from its error body); quoted in the message, redacted. */
  readonly message?: string | undefined;
}

/** Who was asked what, for messages: `{ service: 'GitHub', doing: 'adding octocat to acme' }`. */
export interface AnswerSite {
  readonly service: string;
  readonly doing?: string;
  /** Wall-clock now, for `Retry-After` dates and reset times; defaults to `Date.now()`. */
  readonly now?: number;
  /** The wait when a 429 names none; defaults to a minute. */
  readonly defaultRetryAfterMs?: number;
}

const DEFAULT_RETRY_AFTER_MS = 60_000;

/**
 * The orchester error for an HTTP status, the common meaning of each: 400 rejected, 401
 * authentication, 403 permission, 404 not found, 409/422 conflict, 429 rate-limited (with the
 * wait the headers ask for), 408 and 5xx transient, anything else internal. Connectors map the
 * answers their service gives another meaning first (GitHub's 403 "secondary rate limit"), and
 * hand the rest to this.
 */
export function errorForStatus(answer: FailedAnswer, site: AnswerSite): OrchesterError {
  const { status } = answer;
  const said = answer.message ? ` (${answer.message.slice(0, 300)})` : '';
  const where = site.doing ? ` while ${site.doing}` : '';
  const text = `${site.service} answered ${status}${said}${where}`;
  const details = { status };
  if (status === 429) {
    const asked = retryAfterMs(answer.headers, site.now);
    const wait = asked ?? site.defaultRetryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    const how = asked === undefined ? 'it named no wait' : 'as it asks';
    return new RateLimitedError(
      `${site.service} asked to slow down${where}; waiting ${Math.ceil(wait / 1000)} s (${how})`,
      wait,
      { details },
    );
  }
  if (status === 400)
    return new RejectedError(`${text}: the request was refused as invalid`, { details });
  if (status === 401) {
    return new AuthenticationError(`${text}: the credentials are wrong, expired or revoked`, {
      details,
    });
  }
  if (status === 403)
    return new PermissionError(`${text}: the credentials may not do this`, { details });
  if (status === 404) return new NotFoundError(text, { details });
  if (status === 409 || status === 422) return new ConflictError(text, { details });
  if (status === 408 || status >= 500) return new TransientError(text, { details });
  return new InternalError(`${text}: an answer orchester does not expect`, { details });
}
