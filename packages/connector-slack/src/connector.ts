import { defineConnector } from '@orchester/core';
import { modeOf, type SlackConfig, slackConfigSchema } from './config.js';
import { IDENTIFIER_HINT, slackIdentifierSchema } from './identifier.js';
import { SLACK_MODE_LIMITS } from './limits.js';
import { SLACK_ROLES, slackOptionsSchema } from './options.js';
import { slackSetup } from './setup/oauth-flow.js';

/** orchester's Slack connector: people are e-mail addresses; add and remove go through the configured mode. */
export const slack = defineConnector({
  id: 'slack',
  displayName: 'Slack',
  configSchema: slackConfigSchema,
  identifierSchema: slackIdentifierSchema,
  identifierHint: IDENTIFIER_HINT,
  optionsSchema: slackOptionsSchema,
  secretFields: ['admin_token'],
  // Bot, user, app-level, legacy and refresh tokens: xoxb-, xoxp-, xoxa-, xoxe-, xoxr-, xoxs-.
  secretPatterns: [/\bxox[abeprs]-[A-Za-z0-9-]{8,}\b/g],
  capabilities: {
    actions: ['check', 'add', 'remove'],
    roles: SLACK_ROLES,
    list: true,
    serialWrites: false,
    // Contract 1.3: plans manage the channels a roster names (channel IDs; no roles in them).
    groups: { noun: 'channel', joinOption: 'channels', leaveOption: 'leaveChannels' },
  },
  // The strictest mode's limits; `limitsFor` gives each mode its own.
  limits: SLACK_MODE_LIMITS.admin,
  limitsFor: (config: SlackConfig) => SLACK_MODE_LIMITS[modeOf(config)],
  setup: slackSetup,
  async create(context) {
    const { createSlackInstance } = await import('./instance.js');
    return createSlackInstance(context);
  },
});
