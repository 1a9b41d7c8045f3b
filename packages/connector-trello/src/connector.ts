import { defineConnector, MemoryIdentityStore } from '@orchester/core';
import { TRELLO_API, TrelloClient } from './client.js';
import {
  TRELLO_ROLES,
  trelloConfigSchema,
  trelloIdentifierSchema,
  trelloOptionsSchema,
} from './config.js';
import { trelloSetup } from './setup/run-setup.js';
import { TrelloWorkspace } from './workspace.js';

/**
 * Default job rate. Trello allows 100 requests per 10 s per token and 300 per 10 s per key, on
 * fixed windows. A job makes at most 2 requests (memberships, one write), so 40 job starts per
 * 10 s make at most 80 requests; jobs already in flight when a window opens (at most
 * `concurrency` = 5, at most 2 requests each) add at most 10: 90 < 100 per token. Three
 * instances sharing one API key stay under 300 per key as well (3 × 90 = 270).
 */
export const TRELLO_JOB_LIMITS = Object.freeze({
  concurrency: 5,
  rate: Object.freeze({ max: 40, durationMs: 10_000 }),
});

/** The Trello connector: workspace membership by username or e-mail. */
export const trelloConnector = defineConnector({
  id: 'trello',
  displayName: 'Trello',
  configSchema: trelloConfigSchema,
  identifierSchema: trelloIdentifierSchema,
  identifierHint: 'a Trello username or an e-mail address',
  optionsSchema: trelloOptionsSchema,
  capabilities: {
    actions: ['check', 'add', 'remove'],
    roles: TRELLO_ROLES,
    defaultRole: 'normal',
    list: true,
    serialWrites: false,
    hidesEmails: true,
  },
  limits: TRELLO_JOB_LIMITS,
  setup: trelloSetup,
  create(context) {
    const { config } = context;
    if (config.api_secret !== undefined || config.token_secret !== undefined) {
      context.logger.debug(
        { instance: context.instance },
        'api_secret and token_secret are not needed: Trello takes the key and token in the OAuth header unsigned',
      );
    }
    const client = new TrelloClient({
      baseUrl: context.baseUrl ?? TRELLO_API,
      apiKey: config.api_key,
      token: config.token,
      timeoutMs: config.timeout_ms,
      http: context.http,
    });
    if (!context.identities) {
      context.logger.warn(
        { instance: context.instance },
        'this host keeps no identity map: e-mails invited now can be checked and removed only by this process',
      );
    }
    return new TrelloWorkspace(client, {
      instance: context.instance,
      organization: config.organization,
      removeFromBoards: config.remove_from_boards,
      identities: context.identities ?? new MemoryIdentityStore().forInstance(context.instance),
    });
  },
});
