import { describe, expect, it } from 'vitest';
import { errorForFailure, retryAfterMs } from './errors.js';

const fail = (status: number, text: string, headers: Record<string, string> = {}) => ({
  status,
  text,
  headers: new Headers(headers),
});
const member = { subject: 'member' as const, name: 'bob' };
const org = { subject: 'organization' as const, name: 'acme' };

describe('errorForFailure', () => {
  it('maps Trello plain-text errors', () => {
    expect(errorForFailure(fail(401, 'invalid token'), org).code).toBe('ORCH_AUTHENTICATION');
    expect(errorForFailure(fail(401, 'expired token'), org).code).toBe('ORCH_AUTHENTICATION');
    const key = errorForFailure(fail(401, 'invalid key'), org);
    expect(key.code).toBe('ORCH_AUTHENTICATION');
    expect(key.message).toMatch(/api_key/);
    expect(errorForFailure(fail(401, 'unauthorized permission requested'), org).code).toBe(
      'ORCH_PERMISSION',
    );
    expect(errorForFailure(fail(400, 'invalid id'), member).code).toBe('ORCH_NOT_FOUND');
    expect(errorForFailure(fail(404, 'model not found'), member).message).toMatch(
      /no member "bob"/,
    );
    const noOrg = errorForFailure(fail(404, 'model not found'), org);
    expect([noOrg.code, noOrg.category]).toEqual(['ORCH_CONFIG', 'input']);
    expect(
      errorForFailure(fail(404, 'model not found'), { subject: 'membership', name: 'bob' }).code,
    ).toBe('ORCH_NOT_FOUND');
    // Trello refused what was sent: the service's side (exit 3), not "nothing was sent" (2).
    const refused = errorForFailure(fail(400, 'invalid value for fullName'), org);
    expect([refused.code, refused.category]).toEqual(['ORCH_REJECTED', 'service']);
    expect(errorForFailure(fail(503, 'Service Unavailable'), org).retryable).toBe(true);
    expect(errorForFailure(fail(418, 'teapot'), org).code).toBe('ORCH_INTERNAL');
  });

  it('maps 429 JSON bodies to a rate-limit wait of one window', () => {
    const token = errorForFailure(
      fail(429, '{"error":"API_TOKEN_LIMIT_EXCEEDED","message":"Rate limit exceeded"}', {
        'x-rate-limit-api-token-interval-ms': '10000',
        'x-rate-limit-api-key-interval-ms': '7000',
      }),
      org,
    );
    expect(token.code).toBe('ORCH_RATE_LIMITED');
    expect((token as unknown as { retryAfterMs: number }).retryAfterMs).toBe(10_000);
    const key = errorForFailure(
      fail(429, '{"error":"API_KEY_LIMIT_EXCEEDED","message":"Rate limit exceeded"}', {
        'x-rate-limit-api-key-interval-ms': '7000',
      }),
      org,
    );
    expect(key.message).toMatch(/per API key/);
    expect((key as unknown as { retryAfterMs: number }).retryAfterMs).toBe(7_000);
  });

  it('waits out a whole 900 s window of the /1/members/ limit, which sends no interval header', () => {
    const members = errorForFailure(
      fail(429, '{"error":"MEMBER_LIMIT_EXCEEDED","message":"Rate limit exceeded"}', {
        'x-rate-limit-api-token-interval-ms': '10000',
      }),
      member,
    );
    expect([members.code, members.message]).toEqual([
      'ORCH_RATE_LIMITED',
      "Trello's limit on /1/members/ (100 requests per 900 s per token) reached; waiting 900 s",
    ]);
    expect((members as unknown as { retryAfterMs: number }).retryAfterMs).toBe(900_000);
  });

  it('prefers Retry-After and falls back to 10 s', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), 'token')).toBe(3_000);
    expect(retryAfterMs(new Headers(), 'key')).toBe(10_000);
  });

  it('cuts long bodies', () => {
    expect(errorForFailure(fail(400, 'x'.repeat(5000)), org).message.length).toBeLessThan(300);
  });
});
