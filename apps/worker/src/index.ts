export { JobFailedError, RetryableAttemptError } from './attempt-failure.js';
export { createLogger } from './logger.js';
export { type RunningWorker, type StartWorkerOptions, startWorker } from './main.js';
export { createProcessor, type ProcessorDeps } from './processor.js';
export { isLoopback, readWorkerSettings, type WorkerSettings } from './settings.js';
