import type { CommandSpec } from '../command-spec.js';
import { CONNECTOR_FLAG, JSON_FLAG } from './shared-flags.js';

export const CONNECTORS = {
  name: 'connectors',
  summary: 'installed connectors and configured instances, and whether each is usable',
  usage: ['connectors [--json]'],
  arguments: [],
  flags: { json: JSON_FLAG },
  examples: ['orchest connectors'],
  run: async () => (await import('../commands/connectors.js')).runConnectors,
} as const satisfies CommandSpec;

export const GENERATE = {
  name: 'generate',
  summary: 'set up credentials for an instance (OAuth in the browser, or a token check)',
  usage: ['generate NAME [FLOW FLAGS]'],
  arguments: [
    {
      name: 'NAME',
      description:
        'a configured instance, or a connector type (set up as an instance of that name)',
      complete: 'instance',
    },
  ],
  flags: { connector: { ...CONNECTOR_FLAG, description: 'NAME, as a flag' } },
  notes: [
    "Flags after NAME belong to the connector's set-up flow (github: --token-stdin); each connector's README lists its own. The result is written where the config expects it.",
  ],
  examples: ['orchest generate slack', 'echo "$TOKEN" | orchest generate github --token-stdin'],
  run: async () => (await import('../commands/generate.js')).runGenerate,
} as const satisfies CommandSpec;
