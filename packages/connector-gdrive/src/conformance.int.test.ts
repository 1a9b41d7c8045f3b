// The kit's conformance suite against the Google Drive emulator, through googleapis and gaxios
// on the kit's fetch.
import { describeConformance } from '@orchester/core/testing';
import { describe, it } from 'vitest';
import { gdriveConnector } from './connector.js';
import driveEmulator from './sandbox/index.js';

describeConformance(
  { describe, it },
  {
    connector: gdriveConnector,
    start: () => driveEmulator.start({ seed: 'demo' }),
    newcomer: 'newcomer@example.com',
    member: 'ada@example.com',
    wrongCredentials: { refresh_token: '1//revokedRevokedRevokedRevoked' },
    identifiers: ['folder-team'],
  },
);
