// The safety limits on real connectors: refused without force (nothing written), done with it.
import { InvalidInputError } from '@orchester/core';
import {
  apply,
  type ConnectorRegistry,
  isBatchReport,
  parseRoster,
  plan,
} from '@orchester/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addGitHubMembers,
  addTrelloMembers,
  closeEmulators,
  type Emulators,
  INSTANCES,
  inlineSubmitFor,
  registryOver,
  startEmulators,
  trelloPeople,
} from './emulators.js';

const GH = INSTANCES.github;
const TR = INSTANCES.trello;

let emulators: Emulators;
let registry: ConnectorRegistry;

beforeEach(async () => {
  emulators = await startEmulators();
  registry = registryOver(emulators);
});

afterEach(async () => {
  await registry?.close();
  await closeEmulators(emulators);
});

const person = (login: string, access: unknown) => ({
  name: login,
  email: `${login}@example.com`,
  identities: { github: login, trello: login },
  access,
});

async function refusal(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(
    () => {
      throw new Error('expected apply to refuse');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe('the removal guard on GitHub', () => {
  // acme: olive (admin) and seven members; the roster keeps three of them, so four of eight go.
  const members = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
  const roster = {
    instances: { [GH]: { prune: true } },
    people: [
      person('olive', { [GH]: 'admin' }),
      ...members.slice(0, 3).map((m) => person(m, { [GH]: 'member' })),
    ],
  };

  it('refuses removing 4 of 8 members (limit 25% = 2) without force, and writes nothing', async () => {
    addGitHubMembers(emulators.github.state, members);
    const p = await plan(await parseRoster(roster, 'team.yaml', registry), registry);
    expect(p.violations).toEqual([
      expect.objectContaining({ instance: GH, limit: 'maxRemovalRatio', by: 2 }),
    ]);
    emulators.github.clearRequests();
    const error = await refusal(
      apply(p, { batchId: 'b-guard', submit: inlineSubmitFor(registry) }),
    );
    expect(error.category).toBe('input');
    expect(error.message).toContain(
      `${GH}: would remove 4 of 8 members (50%), over maxRemovalRatio 25% by 2 people`,
    );
    expect(error.message).toContain('--force');
    expect(emulators.github.requests).toEqual([]);
    expect(Object.keys(emulators.github.state.orgs.acme!.members).sort()).toEqual(
      ['olive', ...members].sort(),
    );
  });

  it('removes them with force', async () => {
    addGitHubMembers(emulators.github.state, members);
    const p = await plan(await parseRoster(roster, 'team.yaml', registry), registry);
    const report = await apply(p, {
      batchId: 'b-guard',
      submit: inlineSubmitFor(registry),
      force: true,
    });
    if (!isBatchReport(report)) throw new Error('expected an inline report');
    expect(report.jobs.map((j) => `${j.identifier} ${j.outcome}`).sort()).toEqual([
      'm4 removed',
      'm5 removed',
      'm6 removed',
      'm7 removed',
    ]);
    expect(emulators.github.state.orgs.acme!.members).toEqual({
      olive: 'admin',
      m1: 'member',
      m2: 'member',
      m3: 'member',
    });
  });
});

describe('the admin guard on Trello', () => {
  // acme: olive and ada are admins; the roster wants two admins but makes ada a normal member.
  const roster = {
    instances: { [TR]: { minAdmins: 2 } },
    people: [person('olive', { [TR]: 'admin' }), person('ada', { [TR]: 'normal' })],
  };

  it('refuses leaving one admin under minAdmins 2 without force, and writes nothing', async () => {
    addTrelloMembers(emulators.trello.state, ['ada'], 'admin');
    const p = await plan(await parseRoster(roster, 'team.yaml', registry), registry);
    expect(p.violations).toEqual([
      expect.objectContaining({ instance: TR, limit: 'minAdmins', by: 1 }),
    ]);
    emulators.trello.clearRequests();
    const error = await refusal(
      apply(p, { batchId: 'b-admins', submit: inlineSubmitFor(registry) }),
    );
    expect(error.message).toContain(
      `${TR}: would leave 1 admin member (now 2), under minAdmins 2 by 1`,
    );
    expect(emulators.trello.requests).toEqual([]);
    expect(trelloPeople(emulators.trello.state)).toEqual({ olive: 'admin', ada: 'admin' });
  });

  it('demotes ada with force, and the next plan agrees', async () => {
    addTrelloMembers(emulators.trello.state, ['ada'], 'admin');
    const parsed = await parseRoster(roster, 'team.yaml', registry);
    const report = await apply(await plan(parsed, registry), {
      batchId: 'b-admins',
      submit: inlineSubmitFor(registry),
      force: true,
    });
    if (!isBatchReport(report)) throw new Error('expected an inline report');
    expect(report.jobs.map((j) => `${j.identifier} ${j.outcome} ${j.role}`)).toEqual([
      'ada role-changed normal',
    ]);
    expect(trelloPeople(emulators.trello.state)).toEqual({ olive: 'admin', ada: 'normal' });
    const again = await plan(parsed, registry);
    expect(again.summary.changes).toBe(0);
    // Already under the limit, the plan breaks nothing more: no violation to force.
    expect(again.violations).toEqual([]);
  });
});
