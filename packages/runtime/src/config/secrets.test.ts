import { ConfigError, clearRegisteredSecrets, redact } from '@orchester/core';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecrets } from './secrets.js';

afterEach(() => clearRegisteredSecrets());

describe('resolveSecrets', () => {
  it('replaces { env } references anywhere in a block and registers the values for redaction', () => {
    const { value } = resolveSecrets(
      { token: { env: 'GH_TOKEN' }, app: { private_key: { env: 'KEY' } }, org: 'acme' },
      { file: 'f.json', path: 'connectors.gh' },
      { GH_TOKEN: 'from-the-environment', KEY: 'private-key-text' },
    );
    expect(value).toEqual({
      token: 'from-the-environment',
      app: { private_key: 'private-key-text' },
      org: 'acme',
    });
    expect(redact('a from-the-environment b private-key-text')).toBe('a [redacted] b [redacted]');
  });

  it('names the file, the path and the variable when it is not set', () => {
    const run = () =>
      resolveSecrets(
        { token: { env: 'MISSING_TOKEN' } },
        { file: 'f.json', path: 'connectors.gh' },
        {},
      );
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      /f\.json: connectors\.gh\.token names environment variable MISSING_TOKEN, which is not set; export MISSING_TOKEN/,
    );
  });

  it('treats an empty variable as missing', () => {
    expect(() =>
      resolveSecrets({ token: { env: 'EMPTY' } }, { file: 'f', path: 'gh' }, { EMPTY: '' }),
    ).toThrow(/which is empty/);
  });
});
