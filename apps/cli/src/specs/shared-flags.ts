import type { FlagSpec } from '../command-spec.js';

/** `--config PATH` and `-h, --help`: every command takes them. */
export const GLOBAL_FLAGS = {
  config: {
    type: 'string',
    value: 'PATH',
    description:
      'config file (else $ORCHESTER_CONFIG_PATH, ./.orchester.json|yaml, ~/.orchester.json|yaml)',
    complete: 'file',
  },
  help: {
    type: 'boolean',
    short: 'h',
    description: 'this help; changes nothing and reads no config',
  },
} as const satisfies Record<string, FlagSpec>;

export const CONNECTOR_FLAG = {
  type: 'string',
  short: 'c',
  value: 'NAME',
  description:
    'the configured instance (or a connector type with one instance); default: config\'s "default_connector"',
  complete: 'instance',
} as const satisfies FlagSpec;

export const JSON_FLAG = {
  type: 'boolean',
  description: 'machine-readable output on stdout',
} as const satisfies FlagSpec;

/** `--at TIME`: schedule the jobs on the worker's queue instead of running them now. */
export const AT = {
  type: 'string',
  value: 'TIME',
  description:
    "run at this time (ISO 8601 with offset, e.g. 2026-12-31T18:00+01:00): the jobs wait on the worker's queue till then",
} as const satisfies FlagSpec;

export const AT_NOTE =
  'With --at the jobs wait on the worker\'s queue (Redis) until TIME and survive worker and Redis restarts (with AOF on); "orchest batch status ID" shows them as scheduled, "orchest batch cancel ID" takes them back. Without a reachable queue, or with a TIME past or unreadable: exit 2, nothing scheduled.';
/**
 * The one retry policy, as every command that runs or enqueues jobs states it (the values are
 * `INTERACTIVE_RETRY_POLICY` in dispatch.ts; a test keeps them equal).
 */
export const RETRIES_NOTE =
  'Retries: jobs run here follow config "retry"; keys it leaves out are 4 attempts, 0.5 s doubling to 10 s, 50% jitter, 20 waits a service asks for (429). Queued jobs are retried by the worker, with the worker\'s config.';
