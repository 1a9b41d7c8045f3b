// A saved plan's fingerprint against the four emulators: nothing moved, then one membership the
// plan changes moved on each service (and one it does not change): exactly those are stale.
import {
  type ConnectorRegistry,
  parseRoster,
  plan,
  type Roster,
  type SavedPlan,
  savedPlanOf,
  staleMemberships,
} from '@orchester/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDriveReaders,
  addGitHubMembers,
  closeEmulators,
  type Emulators,
  INSTANCES,
  registryOver,
  slackUser,
  startEmulators,
} from './emulators.js';
import { scenarioRoster, seedScenario } from './scenario.js';

const { github: GH, slack: SL, trello: TR, gdrive: GD } = INSTANCES;

let emulators: Emulators;
let registry: ConnectorRegistry;
let roster: Roster;

beforeAll(async () => {
  emulators = await startEmulators();
  seedScenario(emulators);
  registry = registryOver(emulators);
  roster = await parseRoster(scenarioRoster, 'team.yaml', registry);
});

afterAll(async () => {
  await registry?.close();
  await closeEmulators(emulators);
});

describe('a saved plan against the four emulators', () => {
  let saved: SavedPlan;

  it('fingerprints every change with where the person stands, and nothing is stale at once', async () => {
    const p = await plan(roster, registry);
    saved = savedPlanOf(p, roster, JSON.stringify(scenarioRoster), new Date());
    expect(saved.memberships).toHaveLength(p.summary.changes);
    const row = (instance: string, identifier: string) =>
      saved.memberships.find((m) => m.instance === instance && m.identifier === identifier);
    // From the seed: dave a GitHub member, mona a Slack member, carol a normal Trello member,
    // hana not on the Drive folder.
    expect(row(GH, 'dave')).toMatchObject({ state: 'member', role: 'member' });
    expect(row(SL, 'mona@example.com')).toMatchObject({ state: 'member' });
    expect(row(TR, 'carol')).toMatchObject({ state: 'member', role: 'normal' });
    expect(row(GD, 'hana@example.com')).toMatchObject({ state: 'absent' });
    expect(await staleMemberships(saved, registry)).toEqual([]);
  });

  it('finds exactly the changed memberships the plan changes, on every service', async () => {
    const { github, slack, trello, gdrive } = emulators;
    github.state.orgs.acme!.members.dave = 'admin';
    slackUser(slack.state, 'mona@example.com')!.deleted = true;
    const carol = trello.state.accounts.find((a) => a.username === 'carol')!;
    const acme = trello.state.organizations.find((o) => o.name === 'acme')!;
    acme.memberships.find((m) => m.idMember === carol.id)!.memberType = 'admin';
    addDriveReaders(gdrive.state, ['hana@example.com'], 'commenter');
    // Someone the plan does not change joins: not stale.
    addGitHubMembers(github.state, ['zara']);

    const stale = await staleMemberships(saved, registry);
    expect(stale.map((s) => `${s.instance} ${s.identifier}`).sort()).toEqual(
      [`${GH} dave`, `${SL} mona@example.com`, `${TR} carol`, `${GD} hana@example.com`].sort(),
    );
    const of = (instance: string) => stale.find((s) => s.instance === instance)!;
    expect(of(GH)).toMatchObject({
      was: { role: 'member' },
      now: { state: 'member', role: 'admin' },
    });
    expect(of(SL).now.state).not.toBe('member');
    expect(of(TR)).toMatchObject({
      was: { role: 'normal' },
      now: { state: 'member', role: 'admin' },
    });
    expect(of(GD)).toMatchObject({
      was: { state: 'absent' },
      now: { state: 'member', role: 'commenter' },
    });
  });
});
