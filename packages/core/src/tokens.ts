/**
 * Injection tokens for the apps' composition roots (`apps/cli/src/main.ts`,
 * `apps/worker/src/main.ts`). Only those files touch the container; everything else receives
 * plain values.
 */
export const TOKENS = {
  config: Symbol.for('orchester.config'),
  registry: Symbol.for('orchester.registry'),
  logger: Symbol.for('orchester.logger'),
  clock: Symbol.for('orchester.clock'),
  env: Symbol.for('orchester.env'),
  io: Symbol.for('orchester.io'),
} as const;
