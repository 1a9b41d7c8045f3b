import {
  AuthenticationError,
  CancelledError,
  ConfigError,
  ConflictError,
  type HeaderSource,
  InternalError,
  InvalidIdentifierError,
  isOrchesterError,
  type OrchesterError,
  PermissionError,
  RateLimitedError,
  retryAfterMs,
  TransientError,
  UnsupportedError,
} from '@orchester/core';
import type { SlackMode } from './config.js';

/** Where a failed call came from, for messages that say what to fix. */
export interface CallSite {
  /** Web API method or SCIM route: `admin.users.invite`, `POST /scim/v2/Users`. */
  readonly call: string;
  /** The config key whose token made the call. */
  readonly tokenKey: string;
  readonly mode: SlackMode;
  readonly signal?: AbortSignal;
}

const AUTH_CODES = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_such_token',
]);
const PERMISSION_CODES = new Set([
  'not_an_admin',
  'failed_to_validate_caller',
  'not_allowed_token_type',
  'no_permission',
  'restricted_action',
  'invalid_permissions',
  'ekm_access_denied',
  'access_denied',
]);
const PLAN_CODES = new Set([
  'feature_not_enabled',
  'paid_only',
  'not_an_enterprise',
  'team_not_on_enterprise_plan',
  'plan_upgrade_required',
]);
const TRANSIENT_CODES = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);
const CONFLICT_CODES = new Set([
  'user_disabled',
  'cannot_modify_primary_owner',
  'cannot_modify_owner',
  'cant_kick_from_general',
  'user_is_bot',
  'user_is_restricted',
  'is_archived',
]);

/** Which plan and mode can do what the configured mode could not. */
export function planAdvice(mode: SlackMode): string {
  switch (mode) {
    case 'admin':
      return 'mode "admin" works only on Enterprise Grid with an org-level admin token; on Business+ use mode "scim", on Free or Pro mode "legacy" (deprecated) or Slack’s own invite screen';
    case 'scim':
      return 'mode "scim" needs the Business+ or Enterprise Grid plan; on Free or Pro use mode "legacy" (deprecated) or Slack’s own invite screen';
    case 'legacy':
      return 'deactivating people needs a paid plan (Pro or above); on Business+ use mode "scim", on Enterprise Grid mode "admin"';
  }
}

/** Maps an `ok:false` code of the Web API to orchester's error classes. */
export function platformError(
  code: string,
  data: Record<string, unknown>,
  site: CallSite,
): OrchesterError {
  const what = `Slack answered ${code} to ${site.call}`;
  const details = { call: site.call, slackError: code, mode: site.mode };
  if (AUTH_CODES.has(code)) {
    return new AuthenticationError(
      `${what}: the token in "${site.tokenKey}" is not accepted; put a valid one there (orchest generate can make one)`,
      { details },
    );
  }
  if (code === 'missing_scope') {
    const needed = typeof data.needed === 'string' ? data.needed : 'unknown';
    return new PermissionError(
      `${what}: the token in "${site.tokenKey}" lacks the scope ${needed}; add it to the Slack app, reinstall, and put the new token in "${site.tokenKey}"`,
      {
        details: {
          ...details,
          needed,
          provided: typeof data.provided === 'string' ? data.provided : undefined,
        },
      },
    );
  }
  if (PLAN_CODES.has(code))
    return new UnsupportedError(`${what}: ${planAdvice(site.mode)}`, { details });
  if (PERMISSION_CODES.has(code)) {
    return new PermissionError(
      `${what}: the token in "${site.tokenKey}" may not do this; ${site.mode === 'admin' ? 'admin mode needs an org-level user token of an Org Owner or Admin with admin.users:write' : 'use a token of a workspace admin'}`,
      { details },
    );
  }
  if (code === 'ratelimited')
    return new RateLimitedError(`${what}: slow down`, 60_000, { details });
  if (code === 'team_not_found')
    return new ConfigError(`${what}: "team_id" names no workspace of this organization`, {
      details,
    });
  if (code === 'failed_to_validate_channels' || code === 'invalid_channel') {
    return new ConfigError(
      `${what}: a channel in "channel_ids" does not exist or is not usable for invitations`,
      { details },
    );
  }
  if (code === 'channel_not_found') {
    return new ConfigError(
      `${what}: a channel in "channels" does not exist or the bot cannot see it`,
      { details },
    );
  }
  if (code === 'not_in_channel') {
    return new ConfigError(
      `${what}: the bot is not in a channel of "channels"; invite the app to it first`,
      { details },
    );
  }
  if (code === 'invalid_email')
    return new InvalidIdentifierError(`${what}: Slack does not accept this e-mail address`, {
      details,
    });
  if (CONFLICT_CODES.has(code)) return new ConflictError(what, { details });
  if (TRANSIENT_CODES.has(code)) return new TransientError(what, { details });
  return new InternalError(`${what}, which orchester does not know`, { details });
}

interface SdkError extends Error {
  code?: string;
  data?: Record<string, unknown> & { error?: string };
  retryAfter?: number;
  statusCode?: number;
  original?: Error;
}

/** Any error of a Web API call (an @slack/web-api error or not) as an OrchesterError. */
export function mapWebApiError(error: unknown, site: CallSite): OrchesterError {
  if (isOrchesterError(error)) return error;
  if (site.signal?.aborted)
    return new CancelledError(`${site.call} was cancelled`, { cause: error });
  const e = error as SdkError;
  switch (e?.code) {
    case 'slack_webapi_platform_error':
      return platformError(String(e.data?.error ?? 'unknown_error'), e.data ?? {}, site);
    case 'slack_webapi_rate_limited_error':
      return new RateLimitedError(`Slack rate-limited ${site.call}`, (e.retryAfter ?? 60) * 1000, {
        details: { call: site.call },
      });
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      if (status >= 500 || status === 408) {
        return new TransientError(`Slack answered HTTP ${status} to ${site.call}`, {
          details: { call: site.call, status },
        });
      }
      return new InternalError(`Slack answered HTTP ${status} to ${site.call}`, {
        details: { call: site.call, status },
      });
    }
    case 'slack_webapi_request_error':
      return new TransientError(
        `could not reach Slack for ${site.call}: ${e.original?.message ?? e.message}`,
        {
          cause: e.original ?? e,
        },
      );
  }
  // The SDK rejects a 429 without a usable Retry-After with a plain Error.
  if (e instanceof Error && /Retry header did not contain a valid timeout/.test(e.message)) {
    return new RateLimitedError(
      `Slack rate-limited ${site.call} without saying for how long`,
      60_000,
    );
  }
  return new InternalError(
    `unexpected failure of ${site.call}: ${e instanceof Error ? e.message : String(e)}`,
    { cause: e },
  );
}

/** A SCIM error body: v2 `{detail, status}` or the older `{Errors: {description, code}}`. */
export function scimDetail(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as {
      detail?: unknown;
      Errors?: { description?: unknown } | Array<{ description?: unknown }>;
    };
    if (typeof b.detail === 'string') return b.detail;
    const errors = Array.isArray(b.Errors) ? b.Errors[0] : b.Errors;
    if (errors && typeof errors.description === 'string') return errors.description;
  }
  return typeof body === 'string' && body.length < 200 ? body : 'no detail';
}

/** Maps a SCIM answer that is not a success. */
export function scimError(
  status: number,
  body: unknown,
  headers: HeaderSource,
  site: CallSite,
): OrchesterError {
  const detail = scimDetail(body);
  const what = `Slack SCIM answered ${status} (${detail}) to ${site.call}`;
  const details = { call: site.call, status, detail, mode: site.mode };
  if (status === 401) {
    return new AuthenticationError(
      `${what}: the token in "${site.tokenKey}" is not accepted; it must be a user token with the admin scope`,
      { details },
    );
  }
  if (status === 403) {
    if (/plan|paid|upgrade|not_enabled/i.test(detail))
      return new UnsupportedError(`${what}: ${planAdvice('scim')}`, { details });
    return new PermissionError(
      `${what}: the token in "${site.tokenKey}" must belong to an Org Owner or Admin and carry the admin scope`,
      { details },
    );
  }
  if (status === 429) {
    return new RateLimitedError(
      `Slack SCIM rate-limited ${site.call}`,
      retryAfterMs(headers) ?? 60_000,
      { details },
    );
  }
  if (status === 409) return new ConflictError(what, { details });
  if (status >= 500 || status === 408) return new TransientError(what, { details });
  return new InternalError(what, { details });
}
