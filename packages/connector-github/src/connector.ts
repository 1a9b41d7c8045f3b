import { defineConnector } from '@orchester/core';
import { createGitHubClient, readPrivateKey } from './client.js';
import { githubConfigSchema } from './config.js';
import { GITHUB_IDENTIFIER_HINT, githubIdentifierSchema } from './identifier.js';
import { GITHUB_ROLES, GITHUB_TEAM_ROLES, githubOptionsSchema } from './options.js';
import { OrgMembers } from './org-members.js';
import { githubSetup } from './setup/index.js';

/** GitHub organization membership through octokit: the default export of the package. */
export const githubConnector = defineConnector({
  id: 'github',
  displayName: 'GitHub',
  configSchema: githubConfigSchema,
  identifierSchema: githubIdentifierSchema,
  identifierHint: GITHUB_IDENTIFIER_HINT,
  // Personal access tokens (classic and fine-grained), OAuth, App installation and refresh tokens.
  secretPatterns: [/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g],
  optionsSchema: githubOptionsSchema,
  capabilities: {
    actions: ['check', 'add', 'remove'],
    roles: GITHUB_ROLES,
    defaultRole: 'member',
    list: true,
    serialWrites: false,
    // Contract 1.3: plans manage the teams a roster names, and their maintainers.
    groups: {
      noun: 'team',
      joinOption: 'teams',
      leaveOption: 'leaveTeams',
      roles: GITHUB_TEAM_ROLES,
      // An e-mail invitation's `team_ids` carry no team role: invitees join as members.
      invitationRole: 'member',
    },
  },
  limits: {
    // GitHub allows 100 concurrent requests per token; 4 jobs (each 1–3 requests) stay far below.
    concurrency: 4,
    // Writes cost 5 points of the 900/min secondary budget, and GitHub caps content-creating
    // requests (invitations notify people) at 80/min and 500/h. A job is at most a read and a
    // write or two, so 60 jobs/min stays under 80 writes/min with room for `list` snapshots.
    rate: { max: 60, durationMs: 60_000 },
  },
  setup: githubSetup,
  async create(context) {
    const { config } = context;
    const auth = config.app
      ? {
          appId: config.app.app_id,
          privateKey: await readPrivateKey(config, context.configDir),
          installationId: config.app.installation_id,
        }
      : { token: config.token ?? '' };
    const github = await createGitHubClient({
      auth,
      ...(context.baseUrl ? { baseUrl: context.baseUrl } : {}),
      ...(config.timeout_ms ? { timeoutMs: config.timeout_ms } : {}),
      http: context.http,
      logger: context.logger,
    });
    // Rate-limit headers are wall-clock epoch seconds, so their arithmetic uses the wall clock.
    const org = new OrgMembers(github, config, Date.now);
    return {
      check: (identifier) => org.check(identifier),
      add: (identifier, options, attempt) => org.add(identifier, options, attempt),
      remove: (identifier, _options, attempt) => org.remove(identifier, attempt),
      list: (options) => org.list(options),
      verify: () => org.verify(),
    };
  },
});
