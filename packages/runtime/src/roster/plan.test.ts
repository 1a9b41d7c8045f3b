import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorInstance } from '@orchester/core';
import { InvalidInputError } from '@orchester/core';
import { createMemoryConnector, type MemoryMember } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.js';
import { readAuditRecords } from '../audit/read-audit.js';
import type { MembershipJob } from '../job.js';
import type { ConnectorRegistry } from '../registry.js';
import { registryFor } from '../testing/registry-for.js';
import { inlineSubmit } from './inline-submit.js';
import { apply, isBatchReport, peopleOfPlan, planJobs } from './jobs.js';
import { parseRoster } from './load-roster.js';
import { plan } from './plan.js';

const limitsOf = (registry: ConnectorRegistry) => (name: string) => registry.limitsFor(name);

function seeded() {
  const a = createMemoryConnector({
    id: 'mem-a',
    changesRoles: true,
    members: {
      ada: { state: 'member', role: 'admin' },
      bob: { state: 'member', role: 'member' },
      cy: { state: 'invited', role: 'member' },
      dan: { state: 'deactivated', role: 'member' },
      eve: { state: 'member', role: 'member' },
      fay: { state: 'invited', role: 'member' },
      gus: { state: 'member', role: 'admin' },
      // Known by a login; the roster only knows her e-mail, which the service reports as an alias.
      'ivy-gh': { state: 'member', role: 'member', aliases: ['IVY@Example.com'] },
    },
  });
  const b = createMemoryConnector({
    id: 'mem-b',
    changesRoles: true,
    members: { eve: { state: 'member', role: 'member' } },
  });
  const registry = registryFor([a.connector, b.connector], { 'mem-a': 'mem-a', 'mem-b': 'mem-b' });
  const person = (name: string, access: unknown) => ({
    name: name[0]!.toUpperCase() + name.slice(1),
    email: `${name}@example.com`,
    identities: { 'mem-a': name, 'mem-b': name },
    access,
  });
  const raw = {
    instances: { 'mem-a': { prune: true, maxRemovalRatio: 0.5 } },
    people: [
      person('ada', { 'mem-a': 'admin' }),
      person('bob', { 'mem-a': 'admin' }),
      person('cy', ['mem-a']),
      person('dan', ['mem-a']),
      person('hal', ['mem-a', 'mem-b']),
      // In the roster, but only for mem-b: a member of mem-a all the same, so prune removes him.
      person('gus', ['mem-b']),
      { name: 'Ivy', email: 'ivy@example.com', access: ['mem-a'] },
    ],
  };
  return { a: a.service, b: b.service, registry, raw };
}

describe('plan', () => {
  it('diffs a seeded state change by change, reading each instance once', async () => {
    const { a, b, registry, raw } = seeded();
    const roster = await parseRoster(raw, 'team.yaml', registry);
    const p = await plan(roster, registry);

    const [pa, pb] = p.instances;
    expect(pa?.changes).toEqual([
      {
        instance: 'mem-a',
        kind: 'change-role',
        identifier: 'bob',
        person: { name: 'Bob', email: 'bob@example.com' },
        from: 'member',
        fromRole: 'member',
        toRole: 'admin',
        options: { role: 'admin' },
      },
      {
        instance: 'mem-a',
        kind: 'reactivate',
        identifier: 'dan',
        person: { name: 'Dan', email: 'dan@example.com' },
        from: 'deactivated',
        fromRole: 'member',
        toRole: 'member',
        options: { role: 'member' },
      },
      {
        instance: 'mem-a',
        kind: 'add',
        identifier: 'hal',
        person: { name: 'Hal', email: 'hal@example.com' },
        from: 'absent',
        toRole: 'member',
        options: { role: 'member' },
      },
      { instance: 'mem-a', kind: 'remove', identifier: 'eve', from: 'member', fromRole: 'member' },
      {
        instance: 'mem-a',
        kind: 'cancel-invitation',
        identifier: 'fay',
        from: 'invited',
        fromRole: 'member',
      },
      {
        instance: 'mem-a',
        kind: 'remove',
        identifier: 'gus',
        person: { name: 'Gus', email: 'gus@example.com' },
        from: 'member',
        fromRole: 'admin',
      },
    ]);
    expect(pa?.kept.map((k) => [k.kind, k.identifier])).toEqual([
      ['in-place', 'ada'],
      ['pending', 'cy'],
      ['in-place', 'ivy-gh'],
    ]);
    expect(pa).toMatchObject({
      current: { members: 5, invited: 2, deactivated: 1, admins: 2 },
      // gus (admin) leaves, bob becomes one.
      adminsAfter: 2,
      unmanaged: 0,
      snapshot: 'list',
    });
    // Without prune, eve stays on mem-b and is only counted.
    expect(pb?.changes.map((c) => [c.kind, c.identifier])).toEqual([
      ['add', 'hal'],
      ['add', 'gus'],
    ]);
    expect(pb?.unmanaged).toBe(1);
    expect(p.summary).toMatchObject({
      changes: 8,
      add: 3,
      remove: 2,
      'change-role': 1,
      reactivate: 1,
      'cancel-invitation': 1,
      'in-place': 2,
      pending: 1,
    });
    expect(p.violations).toEqual([]);
    expect(a.calls).toEqual([{ action: 'list', identifier: '*' }]);
    expect(b.calls).toEqual([{ action: 'list', identifier: '*' }]);
    expect(a.changes).toEqual([]);
  });

  it('apply carries the plan out as one batch, audits every change, and a second plan finds nothing to do', async () => {
    const { a, b, registry, raw } = seeded();
    const roster = await parseRoster(raw, 'team.yaml', registry);
    const first = await plan(roster, registry);
    const dir = mkdtempSync(join(tmpdir(), 'orch-audit-'));
    const log = new AuditLog(join(dir, 'sub', 'audit.jsonl'));
    log.open();
    const report = await apply(first, {
      batchId: 'b1',
      submit: inlineSubmit({
        resolver: registry,
        limitsFor: limitsOf(registry),
        audit: { log, actor: 'tester', personOf: peopleOfPlan(first) },
      }),
    });
    if (!isBatchReport(report)) throw new Error('expected an inline report');
    expect(report.totals).toMatchObject({ jobs: 8, succeeded: 8, failed: 0 });
    expect(
      report.jobs.map((j) => `${j.instance} ${j.action} ${j.identifier} ${j.outcome}`).sort(),
    ).toEqual([
      'mem-a add bob role-changed',
      'mem-a add dan reactivated',
      'mem-a add hal added',
      'mem-a remove eve removed',
      'mem-a remove fay invitation-cancelled',
      'mem-a remove gus removed',
      'mem-b add gus added',
      'mem-b add hal added',
    ]);
    expect(a.members.get('bob')?.role).toBe('admin');
    expect(b.members.get('eve')).toBeDefined();

    const { records } = readAuditRecords(log.path);
    expect(
      records
        .map((r) => `${r.instance} ${r.action} ${r.identifier} ${r.outcome} ${r.person ?? '-'}`)
        .sort(),
    ).toEqual([
      'mem-a add bob role-changed Bob',
      'mem-a add dan reactivated Dan',
      'mem-a add hal added Hal',
      'mem-a remove eve removed -',
      'mem-a remove fay invitation-cancelled -',
      'mem-a remove gus removed Gus',
      'mem-b add gus added Gus',
      'mem-b add hal added Hal',
    ]);
    expect(new Set(records.map((r) => r.batchId))).toEqual(new Set(['b1']));
    expect(records.every((r) => r.actor === 'tester' && r.jobId.startsWith('b1.'))).toBe(true);
    expect(statSync(log.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'sub')).mode & 0o777).toBe(0o700);

    const again = await plan(roster, registry);
    expect(again.summary.changes).toBe(0);
    expect(again.instances.flatMap((i) => i.changes)).toEqual([]);
    expect(readFileSync(log.path, 'utf8').trim().split('\n')).toHaveLength(8);
  });

  it('leaves alone a role the connector cannot give (an owner), which no add would change', async () => {
    const a = createMemoryConnector({
      id: 'mem-a',
      changesRoles: true,
      members: {
        olive: { state: 'member', role: 'owner' },
        bob: { state: 'member', role: 'admin' },
      },
    });
    const registry = registryFor([a.connector], { 'mem-a': 'mem-a' });
    const roster = await parseRoster(
      {
        people: [
          {
            name: 'Olive',
            email: 'olive@example.com',
            identities: { 'mem-a': 'olive' },
            access: ['mem-a'],
          },
          {
            name: 'Bob',
            email: 'bob@example.com',
            identities: { 'mem-a': 'bob' },
            access: ['mem-a'],
          },
        ],
      },
      'team.yaml',
      registry,
    );
    const p = await plan(roster, registry);
    const [only] = p.instances;
    expect(only?.changes.map((c) => `${c.kind} ${c.identifier} ${c.fromRole}→${c.toRole}`)).toEqual(
      ['change-role bob admin→member'],
    );
    expect(only?.kept.map((k) => `${k.kind} ${k.identifier} ${k.fromRole}`)).toEqual([
      'in-place olive owner',
    ]);
  });
});

describe('safety limits', () => {
  function twenty(keep: number) {
    const members: Record<string, MemoryMember> = {};
    for (let i = 0; i < 20; i++)
      members[`p${i}`] = { state: 'member', role: i === 0 ? 'admin' : 'member' };
    const mem = createMemoryConnector({ members });
    const registry = registryFor([mem.connector], { mem: 'memory' });
    const raw = {
      instances: { mem: { prune: true } },
      people: Array.from({ length: keep }, (_, i) => ({
        name: `P${i}`,
        email: `p${i}@example.com`,
        identities: { memory: `p${i}` },
        access: { mem: i === 0 ? 'admin' : 'member' },
      })),
    };
    return { service: mem.service, registry, raw };
  }

  it('refuses removals over maxRemovalRatio, saying by how much, and goes on with force', async () => {
    const { service, registry, raw } = twenty(11);
    const p = await plan(await parseRoster(raw, 'team.yaml', registry), registry);
    expect(p.violations).toEqual([
      {
        instance: 'mem',
        limit: 'maxRemovalRatio',
        by: 4,
        message: 'mem: would remove 9 of 20 members (45%), over maxRemovalRatio 25% by 4 people',
      },
    ]);
    const submitted: MembershipJob[][] = [];
    const submit = inlineSubmit({ resolver: registry, limitsFor: limitsOf(registry) });
    const recording = async (batchId: string, jobs: readonly MembershipJob[]) => {
      submitted.push([...jobs]);
      return submit(batchId, jobs);
    };
    const refused = await apply(p, { batchId: 'b1', submit: recording }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as Error).message).toContain(
      'mem: would remove 9 of 20 members (45%), over maxRemovalRatio 25% by 4 people',
    );
    expect((refused as Error).message).toContain('pass --force to go on');
    expect(submitted).toEqual([]);
    expect(service.changes).toEqual([]);

    const report = await apply(p, { batchId: 'b1', submit: recording, force: true });
    expect(isBatchReport(report) && report.totals.byResult).toEqual({ removed: 9 });
    expect(service.members.size).toBe(11);
  });

  it('five of twenty (exactly 25%) is within the limit', async () => {
    const { registry, raw } = twenty(15);
    const p = await plan(await parseRoster(raw, 'team.yaml', registry), registry);
    expect(p.summary.remove).toBe(5);
    expect(p.violations).toEqual([]);
  });

  it('refuses leaving fewer admins than minAdmins, with and without force', async () => {
    const mem = createMemoryConnector({
      changesRoles: true,
      members: {
        root: { state: 'member', role: 'admin' },
        ann: { state: 'member', role: 'admin' },
        bo: { state: 'member', role: 'member' },
      },
    });
    const registry = registryFor([mem.connector], { mem: 'memory' });
    const roster = await parseRoster(
      {
        instances: { mem: { prune: true, maxRemovalRatio: 1 } },
        people: [
          {
            name: 'Ann',
            email: 'ann@example.com',
            identities: { memory: 'ann' },
            access: { mem: 'member' },
          },
          { name: 'Bo', email: 'bo@example.com', identities: { memory: 'bo' }, access: ['mem'] },
        ],
      },
      'team.yaml',
      registry,
    );
    const p = await plan(roster, registry);
    expect(p.instances[0]).toMatchObject({ current: { admins: 2 }, adminsAfter: 0 });
    expect(p.violations).toEqual([
      {
        instance: 'mem',
        limit: 'minAdmins',
        by: 1,
        message: 'mem: would leave 0 admin members (now 2), under minAdmins 1 by 1',
      },
    ]);
    const submit = inlineSubmit({ resolver: registry, limitsFor: limitsOf(registry) });
    await expect(apply(p, { batchId: 'b1', submit })).rejects.toThrow(
      /minAdmins 1 by 1[\s\S]*--force/,
    );
    expect(mem.service.changes).toEqual([]);
    const report = await apply(p, { batchId: 'b1', submit, force: true });
    expect(isBatchReport(report) && report.totals.byResult).toEqual({
      removed: 1,
      'role-changed': 1,
    });
    expect([...mem.service.members].map(([id, m]) => `${id}:${m.role}`).sort()).toEqual([
      'ann:member',
      'bo:member',
    ]);
  });
});

describe('plan at scale', () => {
  it('plans 1,000 people with one list() per instance and ceil(members / page) pages', async () => {
    const members: Record<string, MemoryMember> = {};
    for (let i = 0; i < 650; i++) members[`u${i}`] = { state: 'member', role: 'member' };
    const one = createMemoryConnector({ id: 'one', pageSize: 100, members });
    const two = createMemoryConnector({ id: 'two', pageSize: 100 });
    const registry = registryFor([one.connector, two.connector], { one: 'one', two: 'two' });
    let listCalls = 0;
    const counting = {
      connectorOf: (name: string) => registry.connectorOf(name),
      instance: async (name: string): Promise<ConnectorInstance> => {
        const live = await registry.instance(name);
        return {
          ...live,
          check: live.check.bind(live),
          list: () => {
            listCalls += 1;
            return live.list!();
          },
        };
      },
    };
    const roster = await parseRoster(
      {
        people: Array.from({ length: 1000 }, (_, i) => ({
          name: `User ${i}`,
          email: `u${i}@example.com`,
          identities: { one: `u${i}`, two: `u${i}` },
          access: ['one', 'two'],
        })),
      },
      'big.yaml',
      registry,
    );
    const p = await plan(roster, counting);
    expect(listCalls).toBe(2);
    expect(one.service.calls.map((c) => c.action)).toEqual(Array(7).fill('list'));
    expect(two.service.calls).toEqual([{ action: 'list', identifier: 'page 1' }]);
    expect(p.instances.map((i) => [i.instance, i.summary.add, i.summary['in-place']])).toEqual([
      ['one', 350, 650],
      ['two', 1000, 0],
    ]);
    expect(planJobs(p, 'b1')).toHaveLength(1350);
  });
});
