export {
  defineEmulator,
  type EmulatorDefinition,
  type RequestLogEntry,
  type RunningEmulator,
  type StartEmulatorOptions,
  startEmulator,
} from './emulator.js';
export {
  type FaultDecision,
  type FaultSpec,
  parseFaultSpec,
  rollFault,
  seededRandom,
} from './faults.js';
export {
  type AuthOptions,
  bearerToken,
  guarded,
  type Middleware,
  type RateLimitOptions,
  rateLimit,
  requireAuth,
  retryAfterSeconds,
} from './middleware.js';
export {
  type CursorPageOptions,
  cursorPage,
  type NumberedPageOptions,
  numberedPage,
} from './paging.js';
export { FixedWindowLimiter, type WindowHit } from './rate-limit.js';
export { type Handler, Router, type SandboxRequest, type SandboxResponse } from './router.js';
export {
  type EmulatorModule,
  isEmulatorModule,
  type SandboxPackage,
  type StartedSandbox,
  startSandbox,
} from './start-sandbox.js';
