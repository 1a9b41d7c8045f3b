export { createLogger } from './logger.js';
export { type RunningWorker, type StartWorkerOptions, startWorker } from './main.js';
export { createProcessor, type ProcessorDeps, RetryableAttemptError } from './processor.js';
export { isLoopback, readWorkerSettings, type WorkerSettings } from './settings.js';
