import type { CommandSpec } from '../command-spec.js';
import { CONNECTOR_FLAG, JSON_FLAG, RETRIES_NOTE } from './shared-flags.js';

const IDENTIFIER = {
  name: 'IDENTIFIER',
  description:
    'the person on the service: a GitHub login or e-mail, a Slack or Drive e-mail, a Trello username or e-mail',
} as const;

const QUEUE_FLAGS = {
  enqueue: {
    type: 'boolean',
    description: "put the job on the worker's queue instead of running it here",
  },
  wait: { type: 'boolean', description: 'with --enqueue: wait for the result' },
} as const;

export const CHECK = {
  name: 'check',
  summary: 'is this person a member? (exit 0 yes, 1 no)',
  usage: ['[-c NAME] check IDENTIFIER [--enqueue [--wait]] [--json]'],
  arguments: [IDENTIFIER],
  flags: { connector: CONNECTOR_FLAG, ...QUEUE_FLAGS, json: JSON_FLAG },
  notes: [
    RETRIES_NOTE,
    'Exit 0 when the person is a member; 1 when absent, invited or deactivated (printed which).',
  ],
  examples: ['orchest -c github check octocat', 'orchest -c slack check ada@example.com --json'],
  run: async () => (await import('../commands/membership.js')).runCheck,
} as const satisfies CommandSpec;

export const ADD = {
  name: 'add',
  summary: 'add (or invite) a person',
  usage: ['[-c NAME] add IDENTIFIER [CONNECTOR OPTIONS] [--enqueue [--wait]] [--json]'],
  arguments: [IDENTIFIER],
  flags: { connector: CONNECTOR_FLAG, ...QUEUE_FLAGS, json: JSON_FLAG },
  connectorOptions: 'add',
  notes: [
    RETRIES_NOTE,
    'Someone already there answers already-member or already-invited: add is safe to repeat.',
  ],
  examples: [
    'orchest -c github add octocat --role admin --teams eng,ops',
    'orchest -c gdrive add ada@example.com --role writer --expirationTime 2026-12-31T00:00:00Z',
  ],
  run: async () => (await import('../commands/membership.js')).runAdd,
} as const satisfies CommandSpec;

export const RM = {
  name: 'rm',
  aliases: ['remove'],
  summary: 'remove a person, or cancel their invitation',
  usage: ['[-c NAME] rm IDENTIFIER [CONNECTOR OPTIONS] [--enqueue [--wait]] [--json]'],
  arguments: [IDENTIFIER],
  flags: { connector: CONNECTOR_FLAG, ...QUEUE_FLAGS, json: JSON_FLAG },
  connectorOptions: 'remove',
  notes: [
    RETRIES_NOTE,
    'A pending invitation is cancelled, so the person cannot join later. Someone not there answers not-member: rm is safe to repeat.',
  ],
  examples: ['orchest -c github rm hubot', 'orchest -c trello rm grace --removeFromBoards'],
  run: async () => (await import('../commands/membership.js')).runRemove,
} as const satisfies CommandSpec;
