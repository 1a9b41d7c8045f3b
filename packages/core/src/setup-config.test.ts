import { describe, expect, it } from 'vitest';
import { resolveSetupConfig } from './setup-config.js';

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
});
