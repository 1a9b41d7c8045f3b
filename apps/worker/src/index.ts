export { type BatchStatus, BatchStore, type InstanceProgress } from './batch-store.js';
export { RedisIdentityStore } from './identity-hash.js';
export { membershipJobOptions } from './job-options.js';
export { batchKeys, identitiesKey, queuePrefix } from './keys.js';
export { createLogger } from './logger.js';
export { type RunningWorker, type StartWorkerOptions, startWorker } from './main.js';
export { createProcessor, type ProcessorDeps, RetryableAttemptError } from './processor.js';
export {
  displayRedisUrl,
  isLoopback,
  type QueueSettings,
  readQueueSettings,
  readWorkerSettings,
  type WorkerSettings,
} from './settings.js';
