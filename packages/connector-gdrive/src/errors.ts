import {
  AuthenticationError,
  CancelledError,
  ConfigError,
  ConflictError,
  type OrchesterError,
  orchesterErrorIn,
  PermissionError,
  RateLimitedError,
  RejectedError,
  retryAfterMs,
  TransientError,
  toOrchesterError,
} from '@orchester/core';

/** How long to pause when Drive rate-limits without a Retry-After (it sends none on its 403s). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;

const RATE_LIMIT_REASONS = new Set([
  'userRateLimitExceeded',
  'rateLimitExceeded',
  'sharingRateLimitExceeded',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'TimeoutError',
]);

/** The fields of a GaxiosError this mapping reads; kept structural so the SDK stays lazily imported. */
interface HttpFailure {
  message?: string;
  code?: string | number;
  status?: number;
  response?: { status?: number; headers?: Headers | Record<string, string>; data?: unknown };
  config?: { url?: URL | string; signal?: AbortSignal };
  cause?: unknown;
}

export interface DriveErrorContext {
  readonly fileId: string;
  readonly instance: string;
  /** Whether the request went to the OAuth token endpoint. */
  readonly tokenEndpoint?: boolean;
}

/** Google's reason and message from either error shape: Drive's `{error:{...}}` or OAuth's `{error, error_description}`. */
export function googleReason(data: unknown): { reason?: string; message?: string } {
  if (!data || typeof data !== 'object') return {};
  const error = (data as { error?: unknown; error_description?: unknown }).error;
  if (typeof error === 'string') {
    const description = (data as { error_description?: unknown }).error_description;
    return { reason: error, ...(typeof description === 'string' ? { message: description } : {}) };
  }
  if (error && typeof error === 'object') {
    const e = error as {
      message?: unknown;
      errors?: Array<{ reason?: unknown; message?: unknown }>;
    };
    const first = e.errors?.[0];
    return {
      ...(typeof first?.reason === 'string' ? { reason: first.reason } : {}),
      ...(typeof e.message === 'string' ? { message: e.message } : {}),
    };
  }
  return {};
}

function waitOf(failure: HttpFailure): number {
  return retryAfterMs(failure.response?.headers) ?? DEFAULT_RATE_LIMIT_WAIT_MS;
}

export function statusOf(error: unknown): number | undefined {
  const e = error as HttpFailure | undefined;
  return e?.response?.status ?? (typeof e?.status === 'number' ? e.status : undefined);
}

/** Turns whatever the Drive client threw into one of orchester's errors. The one place for Drive. */
export function mapDriveError(error: unknown, context: DriveErrorContext): OrchesterError {
  // An orchester error as is, or wrapped by gaxios: what the kit's fetch threw for a request
  // with no answer (timeout, network, cancel). gaxios copies its `code` (ORCH_...) onto its own.
  const known = orchesterErrorIn(error);
  if (known) return known;
  const failure = (error ?? {}) as HttpFailure;
  const status = statusOf(error);
  const { reason, message } = googleReason(failure.response?.data);
  const google = message ?? failure.message ?? 'no message';
  const where = `Google Drive (${context.instance})`;

  if (status === undefined) {
    const code = String(
      failure.code ?? (failure.cause as { code?: unknown } | undefined)?.code ?? '',
    );
    const timedOut = code === 'TimeoutError' || /timeout|timed out/i.test(failure.message ?? '');
    if (!timedOut && (code === 'AbortError' || failure.config?.signal?.aborted)) {
      return new CancelledError(`${where}: the request was cancelled`, { cause: error });
    }
    if (
      timedOut ||
      NETWORK_CODES.has(code) ||
      /fetch failed|socket|network/i.test(failure.message ?? '')
    ) {
      return new TransientError(
        `${where}: ${timedOut ? 'the request timed out' : `the connection failed (${code || 'network error'})`}`,
        {
          cause: error,
        },
      );
    }
    return toOrchesterError(error);
  }

  if (
    status === 429 ||
    (status === 403 && reason !== undefined && RATE_LIMIT_REASONS.has(reason))
  ) {
    return new RateLimitedError(
      `${where} rate-limited the request (${reason ?? status}): ${google}`,
      waitOf(failure),
      {
        cause: error,
        details: { status, ...(reason ? { reason } : {}) },
      },
    );
  }
  if (status >= 500) {
    return new TransientError(
      `${where} failed on its side (${status} ${reason ?? ''}): ${google}`.replace(' )', ')'),
      {
        cause: error,
        details: { status, ...(reason ? { reason } : {}) },
      },
    );
  }
  if (context.tokenEndpoint || status === 401) {
    return new AuthenticationError(
      context.tokenEndpoint
        ? `${where} refused the credentials at its token endpoint (${reason ?? status}: ${google}); for OAuth run "orchest generate ${context.instance}" again, for a service account check the key file and, with subject, its domain-wide delegation`
        : `${where} did not accept the access token, even after refreshing it; run "orchest generate ${context.instance}" again`,
      { cause: error, details: { status, ...(reason ? { reason } : {}) } },
    );
  }
  if (
    status === 404 &&
    (reason === 'notFound' || reason === undefined) &&
    !/^Permission not found/i.test(google)
  ) {
    return new ConfigError(
      `file_id "${context.fileId}" of ${context.instance} is not a file, folder or shared drive these credentials can see (Drive says: ${google}); check file_id, and share the item with the account orchester uses (a service account needs it shared with its e-mail, or subject set)`,
      { cause: error, details: { status, file_id: context.fileId } },
    );
  }
  if (status === 404) {
    // A permission that vanished between reading the ACL and changing it: someone else changed
    // the ACL meanwhile; another attempt reads it again.
    return new TransientError(
      `${where}: the permission changed while orchester worked (${google})`,
      {
        cause: error,
        details: { status },
      },
    );
  }
  if (status === 400 && reason === 'invalidSharingRequest') {
    return new ConflictError(`${where} refused to share: ${google}`, {
      cause: error,
      details: { status, reason },
    });
  }
  if (status === 400) {
    return new RejectedError(`${where} rejected the request: ${google}`, {
      cause: error,
      details: { status, ...(reason ? { reason } : {}) },
    });
  }
  if (status === 403) {
    return new PermissionError(
      `${where} refused (${reason ?? 'forbidden'}): ${google}; the account orchester uses needs to be able to share file_id "${context.fileId}"`,
      {
        cause: error,
        details: { status, ...(reason ? { reason } : {}) },
      },
    );
  }
  return toOrchesterError(error);
}
