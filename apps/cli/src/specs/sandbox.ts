import type { CommandSpec } from '../command-spec.js';
import { JSON_FLAG } from './shared-flags.js';

export const SANDBOX = {
  name: 'sandbox',
  summary: 'run local emulators of every installed connector until Ctrl-C',
  usage: ['sandbox [--seed demo|empty] [--write-config PATH] [--faults SPEC] [--json]'],
  arguments: [],
  flags: {
    seed: {
      type: 'string',
      value: 'demo|empty',
      description: 'the people each emulator starts with (default demo)',
      complete: ['demo', 'empty'],
    },
    'write-config': {
      type: 'string',
      value: 'PATH',
      description: 'write the config pointing at the emulators there (owner-only), not to stdout',
      complete: 'file',
    },
    faults: {
      type: 'string',
      value: 'SPEC',
      description: 'inject failures, e.g. 5xx=0.2,429=0.05,latency=50,drop=0.01',
    },
    json: JSON_FLAG,
  },
  notes: [
    'Each emulator listens on 127.0.0.1 and serves GET /_sandbox/state, GET /_sandbox/requests and POST /_sandbox/faults.',
  ],
  examples: [
    'orchest sandbox --write-config sandbox.json',
    'orchest --config sandbox.json check bob',
  ],
  run: async () => (await import('../commands/sandbox.js')).runSandbox,
} as const satisfies CommandSpec;
