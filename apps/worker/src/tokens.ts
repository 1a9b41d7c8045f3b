/**
 * Injection tokens for the worker's composition root (`apps/worker/src/main.ts`), the only file
 * that touches the container; everything else receives plain values. (The CLI composes by hand:
 * a container cost too much of its start-up time.)
 */
export const TOKENS = {
  config: Symbol.for('orchester.config'),
  registry: Symbol.for('orchester.registry'),
  logger: Symbol.for('orchester.logger'),
  clock: Symbol.for('orchester.clock'),
  env: Symbol.for('orchester.env'),
} as const;
