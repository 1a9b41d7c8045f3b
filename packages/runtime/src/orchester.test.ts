import { PermissionError } from '@orchester/core';
import { createMemoryConnector } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { openOrchester } from './orchester.js';
import { memoryConfig } from './testing/registry-for.js';

describe('openOrchester', () => {
  it('checks, adds, removes and lists through the configured instance', async () => {
    const { connector, service } = createMemoryConnector({
      members: { ada: { state: 'member', role: 'admin' } },
    });
    const orchester = openOrchester({
      config: memoryConfig({ team: 'memory' }),
      connectors: [connector],
      from: '/nonexistent',
    });
    expect(await orchester.check('team', 'ADA')).toEqual({ state: 'member', role: 'admin' });
    expect(await orchester.add('team', 'bob', { role: 'admin' })).toEqual({
      outcome: 'added',
      role: 'admin',
    });
    expect(await orchester.remove('memory', 'ada')).toEqual({ outcome: 'removed' });
    const listed = [];
    for await (const m of orchester.list('team')) listed.push(m.identifier);
    expect(listed).toEqual(['bob']);
    expect([...service.members.keys()]).toEqual(['bob']);
    await orchester.close();
  });

  it('throws the classified error when a job fails', async () => {
    const { connector, service } = createMemoryConnector();
    service.failures.push(new PermissionError('token is not an owner'));
    const orchester = openOrchester({
      config: memoryConfig({ team: 'memory' }),
      connectors: [connector],
      from: '/nonexistent',
    });
    await expect(orchester.add('team', 'bob')).rejects.toBeInstanceOf(PermissionError);
  });
});
