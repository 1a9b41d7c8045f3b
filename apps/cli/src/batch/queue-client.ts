type ClientModule = typeof import('@orchester/queue');

/**
 * Imports the queue protocol only when a queued command runs, so `orchest --help` and inline
 * commands never load BullMQ or ioredis.
 */
export function loadQueueClientModule(): Promise<ClientModule> {
  return import('@orchester/queue');
}
