import type { CommandSpec } from '../command-spec.js';
import { AT, AT_NOTE, JSON_FLAG, RETRIES_NOTE } from './shared-flags.js';

const BATCH_ID = { name: 'ID', description: 'the batch id that "batch apply" printed' } as const;
const WAIT = {
  type: 'boolean',
  description: 'follow the batch with a progress bar until it ends, then report',
} as const;
const runBatch = async () => (await import('../commands/batch.js')).runBatch;

export const BATCH_APPLY = {
  name: 'apply',
  summary: "check every row of a batch file, then put the batch on the worker's queue",
  usage: [
    'batch apply FILE [--inline | --wait] [--id ID] [--json]',
    'batch apply FILE --at TIME [--id ID] [--json]',
    'batch apply FILE --dry-run [--json]',
  ],
  arguments: [
    {
      name: 'FILE',
      description:
        'CSV (with a header), YAML or JSON rows of instance, action, identifier and options (role, teams, ...); list options take a,b',
      complete: 'file',
    },
  ],
  flags: {
    inline: {
      type: 'boolean',
      description: 'run the batch in this process (same retries and report), without Redis',
    },
    wait: WAIT,
    'dry-run': {
      type: 'boolean',
      description:
        'say what each row would do (one snapshot of members per instance, as plan reads), changing nothing',
    },
    at: AT,
    id: {
      type: 'string',
      value: 'ID',
      description: 'the batch id (letters, digits, - and _); the same id twice runs each job once',
    },
    json: JSON_FLAG,
  },
  notes: [
    'Any bad row: every problem listed with its row and field, exit 2, nothing enqueued.',
    AT_NOTE,
    RETRIES_NOTE,
  ],
  examples: [
    'orchest batch apply onboarding.csv --dry-run',
    'orchest batch apply onboarding.csv --wait',
    'orchest batch apply offboarding.yaml --inline',
    'orchest batch apply offboarding.csv --at 2026-12-31T18:00+01:00',
  ],
  run: runBatch,
} as const satisfies CommandSpec;

export const BATCH_STATUS = {
  name: 'status',
  summary: 'totals and progress of a queued batch, per instance',
  usage: ['batch status ID [--wait] [--json]'],
  arguments: [BATCH_ID],
  flags: { wait: WAIT, json: JSON_FLAG },
  examples: ['orchest batch status b20261128T101500-3f9a2c --wait'],
  run: runBatch,
} as const satisfies CommandSpec;

export const BATCH_REPORT = {
  name: 'report',
  summary: "a finished batch's report, one row per job",
  usage: ['batch report ID [--format csv|json]'],
  arguments: [BATCH_ID],
  flags: {
    format: {
      type: 'string',
      value: 'csv|json',
      description: 'csv (the default) or json',
      complete: ['csv', 'json'],
    },
    json: { type: 'boolean', description: 'the same as --format json' },
  },
  examples: ['orchest batch report b20261128T101500-3f9a2c --format csv > report.csv'],
  run: runBatch,
} as const satisfies CommandSpec;

export const BATCH_CANCEL = {
  name: 'cancel',
  summary: "take a queued batch's jobs off the queue before they run",
  usage: ['batch cancel ID [--json]'],
  arguments: [BATCH_ID],
  flags: { json: JSON_FLAG },
  notes: [
    'Jobs already running or ended are left alone. A batch that already ran: said so, exit 2, nothing cancelled.',
  ],
  examples: ['orchest batch cancel b20261128T101500-3f9a2c'],
  run: runBatch,
} as const satisfies CommandSpec;

export const BATCH = {
  name: 'batch',
  summary: 'apply a batch file; follow and report batches',
  usage: [
    ...BATCH_APPLY.usage,
    ...BATCH_STATUS.usage,
    ...BATCH_REPORT.usage,
    ...BATCH_CANCEL.usage,
  ],
  arguments: [],
  flags: {},
  subcommands: [BATCH_APPLY, BATCH_STATUS, BATCH_REPORT, BATCH_CANCEL],
  examples: [],
  run: runBatch,
} as const satisfies CommandSpec;
