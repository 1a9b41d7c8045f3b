export { FakeClock } from './fake-clock.js';
export { createMemoryConnector, MemoryService, type MemoryConnectorOptions, type MemoryMember } from './memory-connector.js';
export { memoryConfig, registryFor } from './registry-for.js';
