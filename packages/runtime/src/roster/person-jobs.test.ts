import { createMemoryConnector } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { runJobsInline } from '../inline-runner.js';
import { registryFor } from '../testing/registry-for.js';
import { parseRoster } from './load-roster.js';
import { findPerson, offboardJobs, onboardJobs } from './person-jobs.js';

function fourServices() {
  const m1 = createMemoryConnector({ id: 'm1', members: { zed: 'member', amy: 'member' } });
  const m2 = createMemoryConnector({ id: 'm2', members: { 'zed@example.com': 'member' } });
  const m3 = createMemoryConnector({ id: 'm3', members: { 'zed@example.com': 'invited' } });
  const m4 = createMemoryConnector({ id: 'm4', members: { amy: 'member' } });
  const registry = registryFor([m1.connector, m2.connector, m3.connector, m4.connector], {
    one: 'm1',
    two: 'm2',
    three: 'm3',
    four: 'm4',
  });
  return { registry, services: [m1.service, m2.service, m3.service, m4.service] };
}

describe('offboarding', () => {
  it('removes a person who is a member on two instances, invited on one and absent on a fourth, as one batch', async () => {
    const { registry, services } = fourServices();
    const roster = await parseRoster(
      {
        instances: { two: {}, three: {}, four: {} },
        // The roster only assigns Zed to one instance; offboarding still covers all four.
        people: [
          {
            name: 'Zed Zimmer',
            email: 'Zed@Example.com',
            identities: { m1: 'zed' },
            access: ['one'],
          },
        ],
      },
      'team.yaml',
      registry,
    );
    const person = findPerson(roster, 'zed zimmer');
    expect(findPerson(roster, 'ZED@example.com')).toBe(person);
    const jobs = offboardJobs(roster, person, 'b-off');
    expect(jobs.map((j) => `${j.instance} ${j.action} ${j.identifier}`)).toEqual([
      'four remove zed@example.com',
      'one remove zed',
      'one remove zed@example.com',
      'three remove zed@example.com',
      'two remove zed@example.com',
    ]);
    const report = await runJobsInline('b-off', jobs, {
      resolver: registry,
      limitsFor: (n) => registry.limitsFor(n),
    });
    expect(report.jobs.map((j) => `${j.instance} ${j.identifier} ${j.outcome}`)).toEqual([
      'four zed@example.com not-member',
      'one zed removed',
      'one zed@example.com not-member',
      'three zed@example.com invitation-cancelled',
      'two zed@example.com removed',
    ]);
    expect(report.totals).toMatchObject({ jobs: 5, succeeded: 5, failed: 0 });
    expect(services.map((s) => [...s.members.keys()])).toEqual([['amy'], [], [], ['amy']]);
  });

  it('onboarding from a roster adds the person where the roster assigns them, with the role', async () => {
    const { registry } = fourServices();
    const roster = await parseRoster(
      {
        people: [
          { name: 'New Hire', email: 'new@example.com', access: { one: 'admin', three: null } },
        ],
      },
      'team.yaml',
      registry,
    );
    expect(onboardJobs(findPerson(roster, 'new@example.com'), 'b1')).toEqual([
      {
        instance: 'one',
        action: 'add',
        identifier: 'new@example.com',
        options: { role: 'admin' },
        batchId: 'b1',
      },
      {
        instance: 'three',
        action: 'add',
        identifier: 'new@example.com',
        options: { role: 'member' },
        batchId: 'b1',
      },
    ]);
    expect(() => findPerson(roster, 'nobody')).toThrow(/no person "nobody" in roster team\.yaml/);
  });
});
