// @orchester/queue: the queue protocol the CLI and the worker share: where things live in Redis,
// job options, the batch record and its stored reports, the change journal, the identity hash,
// the audit stream, Redis connections, and the client that enqueues batches and follows them.
export { type AuditStreamQuery, readAuditEntries } from './audit-stream.js';
export {
  type BatchStatus,
  BatchStore,
  countFieldOf,
  type InstanceProgress,
} from './batch-store.js';
export { RedisChangeJournal } from './change-notes.js';
export { RedisIdentityStore } from './identity-hash.js';
export { membershipJobOptions } from './job-options.js';
export {
  auditStreamKey,
  type BatchKeys,
  batchIndexKey,
  batchKeys,
  driftQueuePrefix,
  identitiesKey,
  paceKey,
  queuePrefix,
} from './keys.js';
export {
  type CancelResult,
  type EnqueueResult,
  type OpenQueueClientOptions,
  openQueueClient,
  QueueClient,
  type ReadAuditStreamOptions,
  readAuditStream,
  readIdentities,
  type WaitOptions,
} from './queue-client.js';
export {
  connectClientRedis,
  createWorkerRedis,
  duplicateRedis,
  pingRedis,
  type RedisClient,
} from './redis.js';
export { awaitReplica, REPLICA_WAIT_MS } from './replicas.js';
export {
  batchSectionSchema,
  DEFAULT_REDIS_URL,
  describeRedis,
  displayRedisUrl,
  type Keep,
  keepSchema,
  type QueueSettings,
  type RedisNode,
  type RedisTarget,
  readQueueSettings,
  redisSectionSchema,
  registerRedisPassword,
} from './settings.js';
export { storedReportOf } from './stored-report.js';
