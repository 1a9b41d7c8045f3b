import { createMemoryConnector } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { registryFor } from '../testing/registry-for.js';
import { invitationJoins } from './groups.js';
import { inlineSubmit } from './inline-submit.js';
import { apply, isBatchReport } from './jobs.js';
import { parseRoster } from './load-roster.js';
import { plan } from './plan.js';

/** A team service where Ada maintains "web", Bob is in "web" and "old", Cy in none. */
function seeded(prune: boolean, groups = true) {
  const made = createMemoryConnector({
    id: 'teams',
    groups,
    changesRoles: true,
    members: {
      ada: { state: 'member', role: 'admin', groups: [{ group: 'web', role: 'maintainer' }] },
      bob: {
        state: 'member',
        role: 'member',
        groups: [
          { group: 'web', role: 'member' },
          { group: 'old', role: 'member' },
          { group: 'unnamed', role: 'member' },
        ],
      },
      cy: { state: 'member', role: 'member' },
    },
  });
  const registry = registryFor([made.connector], { teams: 'teams' });
  const person = (name: string, access: unknown) => ({
    name,
    email: `${name.toLowerCase()}@example.com`,
    identities: { teams: name.toLowerCase() },
    access: { teams: access },
  });
  const raw = {
    instances: { teams: { prune, maxRemovalRatio: 1 } },
    people: [
      person('Ada', { role: 'admin', teams: ['web'] }),
      person('Bob', { teams: ['web:maintainer'] }),
      person('Cy', { teams: ['web', 'old:maintainer'] }),
      person('Dee', { teams: ['web'] }),
    ],
  };
  return { service: made.service, registry, raw };
}

describe('plans of teams and channels', () => {
  it('join and role changes, with the groups the roster names read once with the members', async () => {
    const { service, registry, raw } = seeded(false);
    const p = await plan(await parseRoster(raw, 'team.yaml', registry), registry);
    const [only] = p.instances;
    expect(only?.groups).toEqual({ noun: 'team', managed: ['old', 'web'] });
    expect(
      only?.changes.map((c) => [
        c.kind,
        c.identifier,
        c.groups,
        c.options?.teams,
        c.options?.leaveTeams,
      ]),
    ).toEqual([
      // Bob is in web as a member; the roster makes him maintainer. Without prune he stays in old.
      [
        'change-groups',
        'bob',
        { join: [{ group: 'web', role: 'maintainer' }], leave: [] },
        ['web:maintainer'],
        undefined,
      ],
      [
        'change-groups',
        'cy',
        { join: [{ group: 'web' }, { group: 'old', role: 'maintainer' }], leave: [] },
        ['web', 'old:maintainer'],
        undefined,
      ],
      // Dee is new: the add carries her teams.
      ['add', 'dee', { join: [{ group: 'web' }], leave: [] }, ['web'], undefined],
    ]);
    // Ada maintains web; the roster names web without a role, so any role will do.
    expect(only?.kept.map((k) => k.identifier)).toEqual(['ada']);
    expect(p.summary['change-groups']).toBe(2);
    expect(service.calls.map((c) => c.action)).toEqual(['list']);
  });

  it('with prune, members leave the named groups the roster does not give them, never the others', async () => {
    const { service, registry, raw } = seeded(true);
    const roster = await parseRoster(raw, 'team.yaml', registry);
    const p = await plan(roster, registry);
    const bob = p.instances[0]?.changes.find((c) => c.identifier === 'bob');
    expect(bob?.groups).toEqual({ join: [{ group: 'web', role: 'maintainer' }], leave: ['old'] });
    expect(bob?.options).toEqual({ teams: ['web:maintainer'], leaveTeams: ['old'] });

    const report = await apply(p, {
      batchId: 'b1',
      submit: inlineSubmit({ resolver: registry, limitsFor: (n) => registry.limitsFor(n) }),
    });
    expect(isBatchReport(report) && report.totals.failed).toBe(0);
    expect(service.members.get('bob')?.groups).toEqual([
      { group: 'web', role: 'maintainer' },
      // Never named in the roster: not orchester's to manage.
      { group: 'unnamed', role: 'member' },
    ]);
    expect(service.members.get('dee')?.groups).toEqual([{ group: 'web', role: 'member' }]);
    const again = await plan(roster, registry);
    expect(again.summary.changes).toBe(0);
  });

  it('a connector without groups plans roles only, as before contract 1.3', async () => {
    const { registry, raw } = seeded(true, false);
    const plain = {
      ...raw,
      people: raw.people.map((p) => ({ ...p, access: { teams: 'member' } })),
    };
    const p = await plan(await parseRoster(plain, 'team.yaml', registry), registry);
    expect(p.instances[0]?.groups).toBeUndefined();
    expect(p.instances[0]?.changes.map((c) => c.kind)).toEqual(['change-role', 'add']);
  });
});

describe('the joins an e-mail invitation can carry', () => {
  it('a role other than the invitation’s is planned as that role now and the asked one after acceptance', () => {
    expect(
      invitationJoins(
        [{ group: 'web', role: 'maintainer' }, { group: 'old' }, { group: 'ops', role: 'member' }],
        'member',
      ),
    ).toEqual({
      join: [{ group: 'web', role: 'member' }, { group: 'old' }, { group: 'ops', role: 'member' }],
      leave: [],
      afterAcceptance: [{ group: 'web', role: 'maintainer' }],
    });
    expect(invitationJoins([{ group: 'web' }], 'member')).toEqual({
      join: [{ group: 'web' }],
      leave: [],
    });
  });
});
