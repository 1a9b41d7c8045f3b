/**
 * `@orchester/worker/client`: what `orchest` imports (lazily) to enqueue batches and follow them.
 */
export type { AuditStreamQuery } from '../audit-stream.js';
export type { BatchStatus, InstanceProgress } from '../batch-store.js';
export { displayRedisUrl, type QueueSettings, readQueueSettings } from '../settings.js';
export {
  type EnqueueResult,
  type OpenQueueClientOptions,
  openQueueClient,
  QueueClient,
  type ReadAuditStreamOptions,
  readAuditStream,
  readIdentities,
  type WaitOptions,
} from './queue-client.js';
