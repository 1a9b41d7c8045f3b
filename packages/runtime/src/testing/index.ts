export { type MemoryInstance, memoryConfig, registryFor } from './registry-for.js';
