import type { SubmitJobs } from '@orchester/runtime';
import { loadQueueClientModule } from './batch/queue-client.js';
import type { CommandContext } from './command-context.js';

export interface QueuedSubmit {
  readonly submit: SubmitJobs;
  readonly redisUrl: string;
  close(): Promise<void>;
}

/**
 * Where `apply` sends a batch without `--inline`: the worker's queue. Connects first, so an
 * unreachable Redis fails (within 2 s, naming the URL and suggesting --inline) before any
 * service is read or anything is changed.
 */
export async function openQueuedSubmit(context: CommandContext): Promise<QueuedSubmit> {
  const mod = await loadQueueClientModule();
  const client = await mod.openQueueClient({ config: context.registry().config, env: context.env });
  return {
    redisUrl: client.redisUrl,
    submit: async (batchId, jobs) => {
      const result = await client.enqueueBatch(batchId, jobs);
      return { batchId, queued: result.enqueued };
    },
    close: () => client.close(),
  };
}
