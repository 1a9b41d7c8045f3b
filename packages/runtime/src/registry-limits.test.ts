import { defineConnector } from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registryFor } from './testing/registry-for.js';

const modal = defineConnector({
  id: 'modal',
  displayName: 'Modal',
  configSchema: z.object({ mode: z.enum(['slow', 'fast']) }).strict(),
  identifierSchema: z.string(),
  identifierHint: 'a name',
  capabilities: { actions: ['check'], roles: [], list: false, serialWrites: false },
  limits: { concurrency: 1, rate: { max: 1, durationMs: 1000 } },
  limitsFor: (config) =>
    config.mode === 'fast'
      ? { concurrency: 8, rate: { max: 100, durationMs: 1000 } }
      : { concurrency: 1 },
  create: () => ({
    check: async () => ({ state: 'absent' }),
    add: async () => ({ outcome: 'added' }),
    remove: async () => ({ outcome: 'removed' }),
  }),
});

describe('ConnectorRegistry.limitsFor', () => {
  it('asks the connector for limits that depend on the instance config', async () => {
    const registry = registryFor([modal], {
      a: { type: 'modal', block: { mode: 'fast' } },
      b: { type: 'modal', block: { mode: 'slow' } },
    });
    expect(await registry.limitsFor('a')).toEqual({
      concurrency: 8,
      rate: { max: 100, durationMs: 1000 },
    });
    expect(await registry.limitsFor('b')).toEqual({ concurrency: 1 });
  });

  it('falls back to the declared limits when the config does not validate', async () => {
    const registry = registryFor([modal], { c: { type: 'modal', block: { mode: 'warp' } } });
    expect(await registry.limitsFor('c')).toEqual({
      concurrency: 1,
      rate: { max: 1, durationMs: 1000 },
    });
  });
});
