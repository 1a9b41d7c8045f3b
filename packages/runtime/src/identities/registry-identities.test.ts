import { type ConnectorContext, defineConnector, MemoryIdentityStore } from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registryFor } from '../testing/registry-for.js';

/** A connector that remembers every e-mail it adds, as Trello's does. */
const remembering = defineConnector({
  id: 'remembering',
  displayName: 'Remembering',
  configSchema: z.object({}).strict(),
  identifierSchema: z.string(),
  identifierHint: 'an e-mail',
  capabilities: {
    actions: ['check', 'add', 'remove'],
    roles: ['member'],
    list: false,
    serialWrites: false,
  },
  limits: { concurrency: 1 },
  create(context: ConnectorContext<Record<string, never>>) {
    return {
      check: async (email: string) => ({
        state: (await context.identities?.get(email)) ? ('member' as const) : ('absent' as const),
      }),
      add: async (email: string) => {
        await context.identities?.set(email, `id-of-${email}`);
        return { outcome: 'added' as const };
      },
      remove: async () => ({ outcome: 'not-member' as const }),
    };
  },
});

describe('ConnectorContext.identities', () => {
  it('gives each instance its own map of the registry store', async () => {
    const store = new MemoryIdentityStore();
    const registry = registryFor(
      [remembering],
      { one: 'remembering', two: 'remembering' },
      {
        identities: store,
      },
    );
    const one = await registry.instance('one');
    await one.add('bob@example.com', {}, { change: (_o, send) => send() });
    expect(await one.check('bob@example.com')).toEqual({ state: 'member' });
    expect(await (await registry.instance('two')).check('bob@example.com')).toEqual({
      state: 'absent',
    });
    expect(await store.list()).toEqual([
      { instance: 'one', email: 'bob@example.com', id: 'id-of-bob@example.com' },
    ]);
  });

  it('is absent when the host keeps no identities', async () => {
    const registry = registryFor([remembering], { one: 'remembering' });
    const one = await registry.instance('one');
    await one.add('bob@example.com', {}, { change: (_o, send) => send() });
    expect(await one.check('bob@example.com')).toEqual({ state: 'absent' });
  });
});
