// The kit's conformance suite against the Google Drive emulator, through googleapis and gaxios
// on the kit's fetch.
import { createTestContext, describeConformance, rejectionOf } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { gdriveConnector } from './connector.js';
import driveEmulator from './sandbox/index.js';

describeConformance(
  { describe, it },
  {
    connector: gdriveConnector,
    start: () => driveEmulator.start({ seed: 'demo' }),
    newcomer: 'newcomer@example.com',
    member: 'ada@example.com',
    keepsRole: { identifier: 'ada@example.com', role: 'writer' },
    wrongCredentials: { refresh_token: '1//revokedRevokedRevokedRevoked' },
    identifiers: ['folder-team'],
  },
);

describe('verify', () => {
  it('passes for an account that can share the item, and names an item it cannot see', async () => {
    const emulator = await driveEmulator.start({ seed: 'demo' });
    try {
      const open = (overrides: Record<string, unknown>) =>
        gdriveConnector.create(
          createTestContext({
            config: gdriveConnector.configSchema.parse({ ...emulator.configBlock(), ...overrides }),
            baseUrl: emulator.url,
          }),
        );
      await expect((await open({})).verify?.()).resolves.toBeUndefined();
      const elsewhere = await open({ file_id: 'no-such-item' });
      const missing = await rejectionOf(elsewhere.verify?.() ?? Promise.resolve());
      expect(missing).toMatchObject({ code: 'ORCH_CONFIG' });
    } finally {
      await emulator.close();
    }
  });
});
