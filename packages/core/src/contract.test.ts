import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTRACT_VERSION, defineConnector, isConnector } from './contract.js';

const spec = {
  id: 'acme',
  displayName: 'Acme',
  configSchema: z.object({ org: z.string() }),
  identifierSchema: z.string(),
  identifierHint: 'a name',
  capabilities: {
    actions: ['check', 'add', 'remove'] as const,
    roles: ['member'],
    list: false,
    serialWrites: false,
  },
  limits: { concurrency: 2 },
  create: () => ({
    check: async () => ({ state: 'absent' as const }),
    add: async () => ({ outcome: 'added' as const }),
    remove: async () => ({ outcome: 'removed' as const }),
  }),
};

describe('defineConnector', () => {
  it('tags and freezes the connector and stamps the contract version', () => {
    const connector = defineConnector(spec);
    expect(isConnector(connector)).toBe(true);
    expect(connector.contract).toBe(CONTRACT_VERSION);
    expect(Object.isFrozen(connector)).toBe(true);
    expect(Object.isFrozen(connector.capabilities)).toBe(true);
    expect(() => {
      (connector as { id: string }).id = 'other';
    }).toThrow(TypeError);
  });

  it('is recognized by the global symbol, not by its shape', () => {
    expect(isConnector({ ...spec, contract: '1.0.0' })).toBe(false);
  });

  it('refuses ids that are not lower-case words, connectors that add without a role, and zero concurrency', () => {
    expect(() => defineConnector({ ...spec, id: 'Acme_Corp' })).toThrow(/lower-case letters/);
    expect(() =>
      defineConnector({ ...spec, capabilities: { ...spec.capabilities, roles: [] } }),
    ).toThrow(/names no role/);
    expect(() => defineConnector({ ...spec, limits: { concurrency: 0 } })).toThrow(/at least 1/);
  });
});

describe('the contract version', () => {
  it("is the core package's version, so a peer range on core and a contract range agree", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(pkg.version).toBe(CONTRACT_VERSION);
  });

  it('freezes declared groups, and refuses groups a plan could never read or tell apart', () => {
    const groups = { noun: 'team', joinOption: 'teams', leaveOption: 'leaveTeams' };
    const listing = { ...spec.capabilities, list: true };
    const connector = defineConnector({ ...spec, capabilities: { ...listing, groups } });
    expect(connector.capabilities.groups).toEqual(groups);
    expect(Object.isFrozen(connector.capabilities.groups)).toBe(true);
    expect(() =>
      defineConnector({ ...spec, capabilities: { ...spec.capabilities, groups } }),
    ).toThrow(/cannot list/);
    expect(() =>
      defineConnector({
        ...spec,
        capabilities: { ...listing, groups: { ...groups, leaveOption: 'teams' } },
      }),
    ).toThrow(/same option/);
    const roles = ['member', 'maintainer'];
    expect(
      defineConnector({
        ...spec,
        capabilities: { ...listing, groups: { ...groups, roles, invitationRole: 'member' } },
      }).capabilities.groups?.invitationRole,
    ).toBe('member');
    expect(() =>
      defineConnector({
        ...spec,
        capabilities: { ...listing, groups: { ...groups, roles, invitationRole: 'owner' } },
      }),
    ).toThrow(/invitationRole "owner", which is not one of groups.roles/);
  });
});
