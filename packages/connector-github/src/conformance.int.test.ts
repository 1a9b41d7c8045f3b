// The kit's conformance suite against the GitHub emulator, through octokit.
import { describeConformance } from '@orchester/core/testing';
import { describe, it } from 'vitest';
import githubConnector from './index.js';
import githubEmulator from './sandbox/index.js';

describeConformance(
  { describe, it },
  {
    connector: githubConnector,
    start: () => githubEmulator.start({ seed: 'demo' }),
    newcomer: 'octocat',
    member: 'carol',
    keepsRole: { identifier: 'alice', role: 'admin' },
    wrongCredentials: { token: 'ghp_revokedRevokedRevoked000000000000' },
    identifiers: ['acme'],
  },
);
