import type { QueueClient } from '@orchester/queue';
import type { CommandContext } from '../command-context.js';

type ClientModule = typeof import('@orchester/queue');

/**
 * Imports the queue protocol only when a queued command runs, so `orchest --help` and inline
 * commands never load BullMQ or ioredis.
 */
export function loadQueueClientModule(): Promise<ClientModule> {
  return import('@orchester/queue');
}

/**
 * The command's queue client, from its config and environment: the one place the CLI opens
 * one. Fails within 2 s, naming the URL, when Redis cannot be reached.
 */
export async function openQueueClientOf(context: CommandContext): Promise<QueueClient> {
  const mod = await loadQueueClientModule();
  return mod.openQueueClient({ config: context.registry().config, env: context.env });
}
