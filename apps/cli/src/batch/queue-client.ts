import { InvalidInputError } from '@orchester/core';

type ClientModule = typeof import('@orchester/worker/client');

/**
 * Imports the queue client only when a queued command runs, so `orchest --help` and inline
 * commands never load BullMQ or ioredis. Without `@orchester/worker` installed, says how to
 * get it (exit code 2).
 */
export async function loadQueueClientModule(): Promise<ClientModule> {
  try {
    return await import('@orchester/worker/client');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new InvalidInputError(
        'queued commands need the worker package: run "npm i @orchester/worker" (and run orchester-worker), or use --inline to run here without a queue',
      );
    }
    throw error;
  }
}
