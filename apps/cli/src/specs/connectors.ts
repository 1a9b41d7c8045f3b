import type { CommandSpec } from '../command-spec.js';
import { CONNECTOR_FLAG, JSON_FLAG } from './shared-flags.js';

export const CONNECTORS = {
  name: 'connectors',
  summary: 'installed connectors and configured instances, and whether each is usable',
  usage: ['connectors [--offline] [--json]'],
  arguments: [],
  flags: {
    offline: {
      type: 'boolean',
      description:
        "check only that each instance's config is valid; send nothing (by default each connector proves its credentials with the service)",
    },
    json: JSON_FLAG,
  },
  notes: [
    'An instance is usable when its config is valid and its connector\'s verify() proves the credentials with one read; a connector without verify() is reported as "credentials not verified".',
    'Connector packages are found by name beside orchest and in the global folder (@orchester/connector-*, orchester-connector-*, @SCOPE/orchester-connector-*), and in config "plugins". A package that carries the connector marker under another name draws a warning.',
  ],
  examples: ['orchest connectors', 'orchest connectors --offline'],
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

export const COMPLETION = {
  name: 'completion',
  summary: 'print a shell completion script (bash, zsh or fish)',
  usage: ['completion bash|zsh|fish', 'completion instances'],
  arguments: [
    {
      name: 'SHELL',
      description:
        'bash, zsh or fish; "instances" prints the configured instance names, which the scripts ask for when completing -c',
      complete: ['bash', 'zsh', 'fish', 'instances'],
    },
  ],
  flags: {},
  notes: [
    'The script completes commands, their flags (the options of installed connectors too) and, after -c, the configured instances.',
    'bash: eval "$(orchest completion bash)" in ~/.bashrc. zsh: source <(orchest completion zsh) in ~/.zshrc, after compinit. fish: orchest completion fish > ~/.config/fish/completions/orchest.fish',
  ],
  examples: ['orchest completion bash > ~/.local/share/bash-completion/completions/orchest'],
  run: async () => (await import('../commands/completion.js')).runCompletion,
} as const satisfies CommandSpec;
