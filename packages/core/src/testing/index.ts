export {
  type ConformanceEmulator,
  type ConformanceFaults,
  type ConformanceOptions,
  type ConformanceSuite,
  describeConformance,
} from './conformance.js';
export { directAttempt } from './direct-attempt.js';
export { FakeClock } from './fake-clock.js';
export {
  createMemoryConnector,
  type MemoryConnectorOptions,
  type MemoryMember,
  MemoryService,
} from './memory-connector.js';
export { type LogLine, recordingLogger } from './recording-logger.js';
export { rejectionOf } from './rejection.js';
export {
  createTestSetupContext,
  type TestSetupContext,
  type TestSetupContextOptions,
} from './setup-context.js';
export { createTestContext, type TestContext, type TestContextOptions } from './test-context.js';
