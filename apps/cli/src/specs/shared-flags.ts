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

/**
 * The one retry policy, as every command that runs or enqueues jobs states it (the values are
 * `INTERACTIVE_RETRY_POLICY` in dispatch.ts; a test keeps them equal).
 */
export const RETRIES_NOTE =
  'Retries: jobs run here follow config "retry"; keys it leaves out are 4 attempts, 0.5 s doubling to 10 s, 50% jitter, 20 waits a service asks for (429). Queued jobs are retried by the worker, with the worker\'s config.';
