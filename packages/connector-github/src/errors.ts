import {
  AuthenticationError,
  CancelledError,
  ConfigError,
  ConflictError,
  InternalError,
  NotFoundError,
  type OrchesterError,
  orchesterErrorIn,
  PermissionError,
  RateLimitedError,
  retryAfterMs,
  TransientError,
} from '@orchester/core';

/** The fields of octokit's RequestError this file reads; nothing of the request is touched. */
interface RequestErrorLike {
  readonly name: string;
  readonly status: number;
  readonly message: string;
  readonly cause?: unknown;
  /** Only `url` is read, to tell the App's token exchange from the call it was made for. */
  readonly request?: { readonly url?: unknown };
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string | number | undefined>>;
    readonly data?: unknown;
  };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    error instanceof Error &&
    error.name === 'HttpError' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

const SECONDARY_RATE = /secondary rate/i;
const INVITATION_CAP = /invitation rate limit/i;
/** GitHub asks for at least a minute when a secondary limit names no `retry-after`. */
const SECONDARY_FALLBACK_MS = 60_000;
/**
 * The invitation cap is counted over a rolling 24 h. GitHub's 422 says nothing about when it
 * frees up, so unless a `retry-after` comes with it, the whole window is the honest wait.
 */
const INVITATION_CAP_FALLBACK_MS = 24 * 60 * 60_000;

function header(error: RequestErrorLike, name: string): string | undefined {
  const value = error.response?.headers[name];
  return value === undefined ? undefined : String(value);
}

/** GitHub's own message (`message` of the body), without the documentation link. */
export function githubMessage(error: RequestErrorLike): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : error.message.split(' - ')[0];
  return (message ?? '').slice(0, 300);
}

function validationMessages(error: RequestErrorLike): string[] {
  const data = error.response?.data as { errors?: unknown } | undefined;
  if (!Array.isArray(data?.errors)) return [];
  return data.errors.map((e) =>
    typeof e === 'string'
      ? e
      : typeof (e as { message?: unknown })?.message === 'string'
        ? (e as { message: string }).message
        : '',
  );
}

/** True when a 422 says the organization's invitation cap is used up. */
export function isInvitationCap(error: unknown): boolean {
  return (
    isRequestError(error) &&
    error.status === 422 &&
    [githubMessage(error), ...validationMessages(error)].some((m) => INVITATION_CAP.test(m))
  );
}

const APP_TOKEN_ROUTE = /\/app\/installations\/[^/]+\/access_tokens$/;

/** True when the failure came from exchanging the App's JWT for an installation token. */
function isAppTokenError(error: RequestErrorLike): boolean {
  return typeof error.request?.url === 'string' && APP_TOKEN_ROUTE.test(error.request.url);
}

/**
 * True when GitHub answered `status` to the call itself (not a network failure, and not the
 * App token exchange made on its behalf, whose 404 means a wrong installation, not "absent").
 */
export function hasStatus(error: unknown, status: number): boolean {
  return (
    isRequestError(error) &&
    error.response !== undefined &&
    error.status === status &&
    !isAppTokenError(error)
  );
}

/** The messages of a 422's `errors[]`, joined, for callers that tell 422s apart. */
export function validationText(error: unknown): string {
  return isRequestError(error)
    ? [githubMessage(error), ...validationMessages(error)].join('; ')
    : '';
}

/** The wait GitHub's `retry-after` asks for (seconds or an HTTP date). */
function retryAfterOf(error: RequestErrorLike, now: number): number | undefined {
  const raw = header(error, 'retry-after');
  return raw === undefined ? undefined : retryAfterMs({ 'retry-after': raw }, now);
}

function rateLimited(
  error: RequestErrorLike,
  what: string,
  now: number,
): RateLimitedError | undefined {
  const status = error.status;
  if (status === 422 && isInvitationCap(error)) {
    const wait = retryAfterOf(error, now) ?? INVITATION_CAP_FALLBACK_MS;
    return new RateLimitedError(
      `GitHub's invitation cap for the organization is used up while ${what} (50, or 500 for paid or older organizations, per 24 h); invitations resume in about ${Math.ceil(wait / 60_000)} min`,
      wait,
      { cause: error, details: { limit: 'invitation-cap' } },
    );
  }
  if (status !== 403 && status !== 429) return undefined;
  if (header(error, 'x-ratelimit-remaining') === '0') {
    const reset = header(error, 'x-ratelimit-reset');
    const wait =
      (reset === undefined ? undefined : retryAfterMs({ 'x-ratelimit-reset': reset }, now)) ??
      SECONDARY_FALLBACK_MS;
    return new RateLimitedError(
      `GitHub's API rate limit for this token is used up while ${what}; it resets in ${Math.ceil(Math.max(wait, 0) / 1000)} s`,
      wait,
      {
        cause: error,
        details: { limit: 'primary', resource: header(error, 'x-ratelimit-resource') },
      },
    );
  }
  if (SECONDARY_RATE.test(githubMessage(error)) || status === 429) {
    const wait = retryAfterOf(error, now) ?? SECONDARY_FALLBACK_MS;
    return new RateLimitedError(
      `GitHub's secondary rate limit was hit while ${what}; waiting ${Math.ceil(wait / 1000)} s as GitHub asks`,
      wait,
      { cause: error, details: { limit: 'secondary' } },
    );
  }
  return undefined;
}

/**
 * Classifies anything octokit threw into an orchester error. `what` says what was being done
 * ("adding octocat to acme"). Messages are built from GitHub's answer body and status only:
 * never from the request, whose headers hold the token.
 */
export function toConnectorError(
  error: unknown,
  what: string,
  now: number = Date.now(),
): OrchesterError {
  // The kit's fetch already said what a request with no answer means (octokit wraps it).
  const known = orchesterErrorIn(error);
  if (known?.code === 'ORCH_TRANSIENT') {
    return new TransientError(`${known.message} while ${what}`, { cause: known });
  }
  if (known?.code === 'ORCH_CANCELLED') {
    return new CancelledError(`stopped while ${what}`, { cause: known });
  }
  if (known) return known;
  if (error instanceof Error && error.name === 'AbortError') {
    return new CancelledError(`stopped while ${what}`, { cause: error });
  }
  if (!isRequestError(error)) {
    return new InternalError(
      `unexpected failure while ${what}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (error.response === undefined) {
    // No answer at all: refused or reset connection, DNS failure, TLS failure.
    return new TransientError(`could not reach GitHub while ${what}: ${error.message}`, {
      cause: error,
    });
  }
  const status = error.status;
  const message = githubMessage(error);
  if (isAppTokenError(error) && (status === 401 || status === 404)) {
    return status === 401
      ? new AuthenticationError(
          `GitHub refused the App's signed token (${message}) while ${what}: check app.app_id and that app.private_key_path holds a current private key of that App`,
          { cause: error },
        )
      : new ConfigError(
          `app.installation_id: GitHub knows no such installation of this App (while ${what}); use the id from the App's installation page (github.com/organizations/<org>/settings/installations/<id>)`,
          { cause: error },
        );
  }
  const limited = rateLimited(error, what, now);
  if (limited) return limited;
  if (status === 401) {
    return new AuthenticationError(
      `GitHub refused the credentials (${message}) while ${what}: the token is wrong, expired or revoked (or the App's app_id, private key or installation_id is wrong); check it with "orchest generate github"`,
      { cause: error },
    );
  }
  if (status === 403) {
    const accepted = header(error, 'x-accepted-oauth-scopes');
    return new PermissionError(
      `GitHub refused ${what} (${message}): the token needs the admin:org scope (fine-grained or App: organization permission "Members: read and write") and its user must be an owner of the organization${accepted ? `; GitHub accepts scopes: ${accepted}` : ''}`,
      { cause: error },
    );
  }
  if (status === 404) {
    return new NotFoundError(`GitHub answered 404 Not Found while ${what}`, { cause: error });
  }
  if (
    status === 422 &&
    /not exist|could not resolve|must be a valid user|not found/i.test(validationText(error))
  ) {
    return new NotFoundError(`GitHub has no such user (${validationText(error)}) while ${what}`, {
      cause: error,
    });
  }
  if (status === 409 || status === 422) {
    return new ConflictError(`GitHub refused ${what}: ${validationText(error)}`, { cause: error });
  }
  if (status >= 500) {
    return new TransientError(`GitHub failed (${status} ${message}) while ${what}`, {
      cause: error,
    });
  }
  return new InternalError(`GitHub answered ${status} (${message}) while ${what}`, {
    cause: error,
  });
}
