import { TransientError } from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { toConnectorError } from './errors.js';

// The shape of octokit's RequestError for an HTTP answer (name, status, response).
function answered(status: number, data: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error('from octokit'), {
    name: 'HttpError',
    status,
    request: {
      url: 'https://api.github.com/orgs/acme/memberships/mona',
      headers: { authorization: 'token [REDACTED]' },
    },
    response: { status, headers, data },
  });
}

const NOW = 1_800_000_000_000;
const map = (error: unknown) => toConnectorError(error, 'adding mona to acme', NOW);

describe('GitHub error mapping', () => {
  it('reads the primary limit from x-ratelimit-reset, on 403 and on 429', () => {
    for (const status of [403, 429]) {
      const error = map(
        answered(
          status,
          { message: 'API rate limit exceeded' },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) },
        ),
      );
      expect(error).toMatchObject({ code: 'ORCH_RATE_LIMITED', retryAfterMs: 31_000 });
    }
  });

  it('waits retry-after for a secondary limit, in seconds or as a date, else 60 s', () => {
    const secondary = { message: 'You have exceeded a secondary rate limit' };
    expect(map(answered(403, secondary, { 'retry-after': '12' }))).toMatchObject({
      retryAfterMs: 12_000,
    });
    expect(map(answered(403, secondary))).toMatchObject({
      code: 'ORCH_RATE_LIMITED',
      retryAfterMs: 60_000,
    });
    expect(map(answered(429, { message: 'slow down' }))).toMatchObject({
      code: 'ORCH_RATE_LIMITED',
      retryAfterMs: 60_000,
    });
    // A date is read against the same clock as the reset headers.
    const date = new Date(NOW + 20_000).toUTCString();
    expect(map(answered(403, secondary, { 'retry-after': date }))).toMatchObject({
      code: 'ORCH_RATE_LIMITED',
      retryAfterMs: 20_000,
    });
  });

  it('takes the invitation cap as rate limited for the whole 24 h window when GitHub names no time', () => {
    const cap = {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'OrganizationInvitation',
          code: 'unprocessable',
          field: 'data',
          message: 'Over invitation rate limit',
        },
      ],
    };
    expect(map(answered(422, cap))).toMatchObject({
      code: 'ORCH_RATE_LIMITED',
      retryAfterMs: 24 * 3_600_000,
    });
    expect(map(answered(422, cap, { 'retry-after': '600' }))).toMatchObject({
      retryAfterMs: 600_000,
    });
  });

  it('tells a permission refusal from a limit, and names the fix', () => {
    const error = map(
      answered(403, { message: 'Must have admin rights' }, { 'x-ratelimit-remaining': '4000' }),
    );
    expect(error).toMatchObject({ code: 'ORCH_PERMISSION', retryable: false });
    expect(error.message).toMatch(/admin:org.*owner/);
  });

  it('maps 401, 5xx, a nonexistent invitee, network failures, timeouts and aborts', () => {
    expect(map(answered(401, { message: 'Bad credentials' })).code).toBe('ORCH_AUTHENTICATION');
    expect(map(answered(502, { message: 'Server Error' }))).toMatchObject({
      code: 'ORCH_TRANSIENT',
      retryable: true,
    });
    const invitee = {
      message: 'Validation Failed',
      errors: [{ field: 'invitee_id', code: 'invalid', message: 'Invitee must be a valid user' }],
    };
    expect(map(answered(422, invitee)).code).toBe('ORCH_NOT_FOUND');
    const reset = Object.assign(new Error('other side closed'), { name: 'HttpError', status: 500 });
    expect(map(reset).code).toBe('ORCH_TRANSIENT');
    const timeout = Object.assign(new Error('x'), {
      name: 'HttpError',
      status: 500,
      // What the kit's fetch throws for a request that outlived the timeout, wrapped by octokit.
      cause: new TransientError('GitHub did not answer within 250 ms'),
    });
    expect(map(timeout)).toMatchObject({
      code: 'ORCH_TRANSIENT',
      message: expect.stringMatching(/within 250 ms/),
    });
    const aborted = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(map(aborted).code).toBe('ORCH_CANCELLED');
  });

  it('puts nothing of the request into the message or the cause', () => {
    const error = map(answered(403, { message: 'Must have admin rights' }));
    expect(JSON.stringify(error.toJSON())).not.toMatch(
      /authorization|REDACTED|api\.github\.com\/orgs/,
    );
  });
});
