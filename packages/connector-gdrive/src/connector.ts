import { defineConnector } from '@orchester/core';
import { DRIVE_ROLES, emailSchema, gdriveConfigSchema, gdriveOptionsSchema } from './config.js';

/**
 * Google Drive: who can open one folder, file or shared drive (`file_id`). The Google SDK is
 * imported only when an instance is created, so `orchest --help` never pays for it.
 */
export const gdriveConnector = defineConnector({
  id: 'gdrive',
  displayName: 'Google Drive',
  configSchema: gdriveConfigSchema,
  identifierSchema: emailSchema,
  identifierHint: 'an e-mail address',
  optionsSchema: gdriveOptionsSchema,
  secretFields: ['refresh_token', 'client_secret'],
  // Google OAuth access tokens (ya29.) and refresh tokens (1//).
  secretPatterns: [/\bya29\.[A-Za-z0-9._-]{10,}\b/g, /\b1\/\/[A-Za-z0-9._-]{20,}\b/g],
  capabilities: {
    actions: ['check', 'add', 'remove'],
    roles: DRIVE_ROLES,
    defaultRole: 'reader',
    list: true,
    // Drive applies only the last of concurrent permission changes on one file.
    serialWrites: true,
  },
  // Sharing has its own, unpublished quota well below the request quota: stay gentle.
  limits: { concurrency: 4, rate: { max: 5, durationMs: 1_000 } },
  setup: {
    summary: 'sign in with Google in the browser and store the OAuth token at token_path',
    async run(context) {
      const { runLoopbackFlow } = await import('./setup/loopback-flow.js');
      await runLoopbackFlow(context);
    },
  },
  async create(context) {
    const { createDriveInstance } = await import('./instance.js');
    return createDriveInstance(context);
  },
});
