import { describe, expect, it } from 'vitest';
import { mapWebApiError, platformError, scimError } from './errors.js';

const site = { call: 'admin.users.invite', tokenKey: 'admin_token', mode: 'admin' as const };

describe('Slack error mapping', () => {
  it.each([
    ['invalid_auth', 'ORCH_AUTHENTICATION'],
    ['not_authed', 'ORCH_AUTHENTICATION'],
    ['account_inactive', 'ORCH_AUTHENTICATION'],
    ['token_revoked', 'ORCH_AUTHENTICATION'],
    ['missing_scope', 'ORCH_PERMISSION'],
    ['not_an_admin', 'ORCH_PERMISSION'],
    ['failed_to_validate_caller', 'ORCH_PERMISSION'],
    ['invalid_permissions', 'ORCH_PERMISSION'],
    ['feature_not_enabled', 'ORCH_UNSUPPORTED'],
    ['paid_only', 'ORCH_UNSUPPORTED'],
    ['team_not_found', 'ORCH_CONFIG'],
    ['failed_to_validate_channels', 'ORCH_CONFIG'],
    ['invalid_email', 'ORCH_INVALID_IDENTIFIER'],
    ['cannot_modify_primary_owner', 'ORCH_CONFLICT'],
    ['internal_error', 'ORCH_TRANSIENT'],
    ['something_new', 'ORCH_INTERNAL'],
  ])('%s → %s', (code, expected) => {
    expect(platformError(code, {}, site).code).toBe(expected);
  });

  it('names the scopes a token lacks and the key it came from', () => {
    const error = platformError(
      'missing_scope',
      { needed: 'admin.users:write', provided: 'users:read' },
      site,
    );
    expect(error.message).toContain('admin.users:write');
    expect(error.message).toContain('"admin_token"');
  });

  it('says which plan and mode would work', () => {
    expect(platformError('feature_not_enabled', {}, site).message).toMatch(
      /Enterprise Grid.*"scim"/,
    );
    expect(platformError('paid_only', {}, { ...site, mode: 'legacy' }).message).toMatch(
      /paid plan.*"scim".*"admin"/,
    );
  });

  it('maps SDK errors by code: rate limits with their wait, HTTP 5xx and network faults as transient', () => {
    const limited = mapWebApiError(
      Object.assign(new Error('x'), { code: 'slack_webapi_rate_limited_error', retryAfter: 7 }),
      site,
    );
    expect(limited).toMatchObject({ code: 'ORCH_RATE_LIMITED', retryAfterMs: 7000 });
    expect(
      mapWebApiError(
        Object.assign(new Error('x'), { code: 'slack_webapi_http_error', statusCode: 502 }),
        site,
      ).code,
    ).toBe('ORCH_TRANSIENT');
    expect(
      mapWebApiError(
        Object.assign(new Error('x'), {
          code: 'slack_webapi_request_error',
          original: new Error('ECONNRESET'),
        }),
        site,
      ).code,
    ).toBe('ORCH_TRANSIENT');
    const aborted = new AbortController();
    aborted.abort();
    expect(mapWebApiError(new Error('aborted'), { ...site, signal: aborted.signal }).code).toBe(
      'ORCH_CANCELLED',
    );
  });

  it('reads both SCIM error shapes', () => {
    const scimSite = { ...site, mode: 'scim' as const };
    expect(
      scimError(
        401,
        { Errors: { description: 'invalid_authentication', code: 401 } },
        undefined,
        scimSite,
      ).code,
    ).toBe('ORCH_AUTHENTICATION');
    expect(
      scimError(403, { detail: 'plan_upgrade_required', status: '403' }, undefined, scimSite).code,
    ).toBe('ORCH_UNSUPPORTED');
    expect(
      scimError(403, { detail: 'missing_scope: admin', status: '403' }, undefined, scimSite).code,
    ).toBe('ORCH_PERMISSION');
    expect(scimError(429, {}, { 'retry-after': '12' }, scimSite)).toMatchObject({
      code: 'ORCH_RATE_LIMITED',
      retryAfterMs: 12_000,
    });
    expect(scimError(503, 'down', undefined, scimSite).code).toBe('ORCH_TRANSIENT');
  });
});
