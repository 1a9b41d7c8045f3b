// The kit's conformance suite against the Trello emulator, by username.
import { createTestContext, describeConformance } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import trelloConnector from './index.js';
import trelloEmulator from './sandbox/index.js';

describeConformance(
  { describe, it },
  {
    connector: trelloConnector,
    start: () => trelloEmulator.start({ seed: 'demo' }),
    newcomer: 'alan',
    member: 'grace',
    keepsRole: { identifier: 'ada', role: 'admin' },
    wrongCredentials: { token: 'f'.repeat(64) },
    identifiers: ['acme'],
  },
);

describe('verify', () => {
  it('passes with a working key and token, and names a workspace the token cannot see', async () => {
    const emulator = await trelloEmulator.start({ seed: 'demo' });
    try {
      const open = (overrides: Record<string, unknown>) => {
        const { base_url: _url, ...block } = emulator.configBlock();
        const config = trelloConnector.configSchema.parse({ ...block, ...overrides });
        return trelloConnector.create(createTestContext({ config, baseUrl: emulator.url }));
      };
      await expect((await open({})).verify?.()).resolves.toBeUndefined();
      await expect((await open({ organization: 'globex-nope' })).verify?.()).rejects.toMatchObject({
        code: 'ORCH_CONFIG',
        message: expect.stringContaining('globex-nope'),
      });
    } finally {
      await emulator.close();
    }
  });
});
