import { describe, expect, it } from 'vitest';
import { resolveSetupConfig, setupString } from './setup-config.js';

describe('resolveSetupConfig (the config a set-up flow sees)', () => {
  it('resolves { env } references at any depth and leaves out the ones not set', () => {
    const block = {
      org: 'acme',
      token: { env: 'ORCH_T_TOKEN' },
      app: { private_key: { env: 'ORCH_T_UNSET' }, app_id: 7 },
      list: [{ env: 'ORCH_T_TOKEN' }],
      empty: { env: 'ORCH_T_EMPTY' },
    };
    expect(resolveSetupConfig(block, { ORCH_T_TOKEN: 'tok-value', ORCH_T_EMPTY: '' })).toEqual({
      org: 'acme',
      token: 'tok-value',
      app: { app_id: 7 },
      list: ['tok-value'],
    });
  });

  it('setupString reads a resolved setting and names a variable that is not set', () => {
    const rawConfig = {
      token: { env: 'ORCH_T_UNSET' },
      org: ' acme ',
      client_id: { env: 'ORCH_T_ID' },
    };
    const context = {
      instance: 'gh',
      rawConfig,
      config: resolveSetupConfig(rawConfig, { ORCH_T_ID: 'id-1' }),
    };
    expect(setupString(context, 'org')).toBe('acme');
    expect(setupString(context, 'client_id')).toBe('id-1');
    expect(setupString(context, 'missing')).toBeUndefined();
    expect(() => setupString(context, 'token')).toThrow(
      'connectors.gh.token names environment variable ORCH_T_UNSET, which is not set; export it first',
    );
    expect(() => setupString(context, 'token', 'or pipe one in')).toThrow(
      'which is not set; export it, or pipe one in',
    );
  });
});
