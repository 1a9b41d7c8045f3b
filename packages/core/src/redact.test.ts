import { afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError, TransientError, toOrchesterError } from './errors.js';
import {
  clearRegisteredSecrets,
  redact,
  redactValue,
  registerSecret,
  registerSecretPattern,
} from './redact.js';

afterEach(() => clearRegisteredSecrets());

describe('redact', () => {
  it('removes registered secrets, generic credential shapes and registered token shapes', () => {
    registerSecret('my-configured-secret');
    // As the GitHub and Slack connectors declare theirs.
    registerSecretPattern(/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g);
    registerSecretPattern(/\bxox[abeprs]-[A-Za-z0-9-]{8,}\b/);
    const text = [
      'configured my-configured-secret',
      'github ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'slack xoxb-1234-5678-abcdefgh',
      'header Authorization: Bearer abc.def.ghi',
      'url https://api.trello.com/1/members/me?key=k123&token=t456',
      'oauth oauth_token="sekret"',
    ].join('\n');
    const out = redact(text);
    for (const secret of [
      'my-configured-secret',
      'ghp_abcdefghij',
      'xoxb-1234',
      'abc.def.ghi',
      'k123',
      't456',
      'sekret',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('https://api.trello.com/1/members/me?key=[redacted]&token=[redacted]');
  });

  it('redacts a service token shape only once its pattern is registered', () => {
    const token = 'xoxb-1234-5678-abcdefgh';
    expect(redact(`slack ${token}`)).toBe(`slack ${token}`);
    registerSecretPattern(/\bxox[abeprs]-[A-Za-z0-9-]{8,}\b/g);
    expect(redact(`slack ${token}`)).toBe('slack [redacted]');
  });

  it('blanks secret-named keys in attached values', () => {
    expect(redactValue({ token: 'x', nested: { client_secret: 'y', org: 'acme' } })).toEqual({
      token: '[redacted]',
      nested: { client_secret: '[redacted]', org: 'acme' },
    });
  });
});

describe('errors', () => {
  it('never carry a registered secret in message, cause, details or JSON', () => {
    registerSecret('super-secret-token');
    const cause = Object.assign(new Error('request failed with token super-secret-token'), {
      status: 401,
    });
    const error = new AuthenticationError('bad credentials super-secret-token', {
      cause,
      details: { sent: 'super-secret-token' },
    });
    const everything = JSON.stringify(error.toJSON()) + error.message + String(error.stack);
    expect(everything).not.toContain('super-secret-token');
    expect(error.cause).toEqual({
      name: 'Error',
      message: 'request failed with token [redacted]',
      status: 401,
    });
    expect(error).toMatchObject({
      code: 'ORCH_AUTHENTICATION',
      retryable: false,
      category: 'service',
    });
  });

  it('wrap unknown throws as internal errors and keep ours as they are', () => {
    const ours = new TransientError('503');
    expect(toOrchesterError(ours)).toBe(ours);
    expect(toOrchesterError(new TypeError('boom'))).toMatchObject({
      code: 'ORCH_INTERNAL',
      retryable: false,
    });
  });
});
