import type { CommandSpec } from '../command-spec.js';
import { JSON_FLAG } from './shared-flags.js';

export const AUDIT = {
  name: 'audit',
  summary: 'the audit trail of changes, oldest first',
  usage: [
    'audit [--since DATE] [--person ID] [--instance NAME] [--json]',
    'audit --identities [--instance NAME] [--json]',
  ],
  arguments: [],
  flags: {
    since: {
      type: 'string',
      value: 'DATE',
      description:
        'from 2026-03-01, 2026-03-01T09:00:00Z, or a span back from now: 30m, 12h, 7d, 2w',
    },
    person: {
      type: 'string',
      value: 'ID',
      description: "one person's records (identifier or name)",
    },
    instance: {
      type: 'string',
      value: 'NAME',
      description: "one instance's records",
      complete: 'instance',
    },
    identities: {
      type: 'boolean',
      description:
        'what orchester recorded of who an e-mail is on each instance (for services that hide e-mails, such as Trello)',
    },
    json: JSON_FLAG,
  },
  notes: [
    'Inline changes are read from the audit file; queued ones from Redis when config has a redis section or REDIS_URL is set.',
    'The identities come from the file beside the audit file and, when Redis is configured, from Redis.',
  ],
  examples: ['orchest audit --since 7d --person ada@example.com'],
  run: async () => (await import('../commands/audit.js')).runAudit,
} as const satisfies CommandSpec;
