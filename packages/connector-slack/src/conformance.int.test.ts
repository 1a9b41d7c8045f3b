// The kit's conformance suite against the Slack emulator (admin mode, Enterprise Grid), through
// @slack/web-api on the kit's fetch.
import { describeConformance } from '@orchester/core/testing';
import { describe, it } from 'vitest';
import slack from './index.js';
import slackEmulator from './sandbox/index.js';

describeConformance(
  { describe, it },
  {
    connector: slack,
    start: () => slackEmulator.start({ seed: 'demo' }),
    newcomer: 'newcomer@example.com',
    member: 'mona@example.com',
    wrongCredentials: {
      token: 'xoxb-0000000000-revokedRevokedRevoked',
      admin_token: 'xoxp-0000000000-revokedRevokedRevoked',
    },
  },
);
