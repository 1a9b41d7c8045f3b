import type { CommandHandler } from '../command-context.js';

/** Every command, imported only when it runs. */
export const COMMANDS: Readonly<Record<string, () => Promise<CommandHandler>>> = {
  check: async () => (await import('./membership.js')).runCheck,
  add: async () => (await import('./membership.js')).runAdd,
  rm: async () => (await import('./membership.js')).runRemove,
  remove: async () => (await import('./membership.js')).runRemove,
  connectors: async () => (await import('./connectors.js')).runConnectors,
  generate: async () => (await import('./generate.js')).runGenerate,
  sandbox: async () => (await import('./sandbox.js')).runSandbox,
  plan: async () => (await import('./roster.js')).runPlan,
  apply: async () => (await import('./roster.js')).runApply,
  onboard: async () => (await import('./person.js')).runOnboard,
  offboard: async () => (await import('./person.js')).runOffboard,
  audit: async () => (await import('./audit.js')).runAudit,
  batch: async () => (await import('./batch.js')).runBatch,
};
