import { InvalidInputError } from '@orchester/core';
import { createMemoryConnector } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { registryFor } from '../testing/registry-for.js';
import { draftPersonJobs, personJobs } from './person-flags.js';

// Two types: `m1` (instances one and uno) and `m2` (instance two).
function registry() {
  const m1 = createMemoryConnector({ id: 'm1' });
  const m2 = createMemoryConnector({ id: 'm2' });
  return registryFor([m1.connector, m2.connector], { one: 'm1', uno: 'm1', two: 'm2' });
}
const jobLines = (jobs: Array<{ instance: string; identifier: string; options: object }>) =>
  jobs.map((j) => `${j.instance} ${j.identifier} ${JSON.stringify(j.options)}`);

describe('jobs for a person given by flags', () => {
  it('removes by every identity that applies and the e-mail; adds by the instance identity, else the type one, else the e-mail', async () => {
    const person = { email: 'Zed@Example.com', identities: { m1: 'zed', uno: 'zedd' } };
    const removals = await personJobs('remove', person, {}, registry(), 'b1');
    expect(jobLines(removals)).toEqual([
      'one zed {}',
      'one zed@example.com {}',
      'uno zedd {}',
      'uno zed {}',
      'uno zed@example.com {}',
      'two zed@example.com {}',
    ]);
    const adds = await personJobs('add', person, { role: 'admin' }, registry(), 'b1');
    expect(jobLines(adds)).toEqual([
      'one zed {"role":"admin"}',
      'uno zedd {"role":"admin"}',
      'two zed@example.com {"role":"admin"}',
    ]);
  });

  it('never replaces an identity the connector refuses by the e-mail', async () => {
    const draft = await draftPersonJobs(
      'remove',
      { email: 'zed@example.com', identities: { m1: 'zed zimmer' } },
      { instances: ['one', 'two'] },
      registry(),
      'b1',
    );
    expect(draft.jobs).toEqual([]);
    expect(draft.problems).toEqual([
      'identity "m1": "zed zimmer" is not a user name or an e-mail address (In-memory): letters, digits, ., _, @, + and -',
    ]);
  });

  it('answers every problem at once: instances, identity keys, roles, and both a bad identity and a bad role on one target', async () => {
    const draft = await draftPersonJobs(
      'add',
      { email: 'zed@example.com', identities: { nope: 'x', two: 'zed', one: 'zed!' } },
      { instances: ['one', 'm1', 'nine'], role: 'owner', roles: { m2: 'member' } },
      registry(),
      'b1',
    );
    expect(draft.jobs).toEqual([]);
    expect(draft.problems).toEqual([
      'instance "m1": a connector type with several instances (one, uno); name the ones you mean',
      'instance "nine": not configured (configured: one, two, uno)',
      'identity "nope": neither a configured instance nor a connector type in use (m1, m2, one, two, uno)',
      'identity "two": no target instance has this name or type (targets: one)',
      'role "m2": no target instance has this name or type (targets: one)',
      'identity "one": "zed!" is not a user name or an e-mail address (In-memory): letters, digits, ., _, @, + and -',
      'one: "owner" is not a In-memory role (roles: member, admin)',
    ]);
    await expect(
      personJobs('add', { identities: { nope: 'x' } }, {}, registry(), 'b1'),
    ).rejects.toThrow(InvalidInputError);
  });

  it('a role by instance wins over one by type, which wins over the role for every target', async () => {
    const adds = await personJobs(
      'add',
      { email: 'zed@example.com', identities: {} },
      { role: 'member', roles: { m1: 'admin', uno: 'member' } },
      registry(),
      'b1',
    );
    expect(jobLines(adds)).toEqual([
      'one zed@example.com {"role":"admin"}',
      'uno zed@example.com {"role":"member"}',
      'two zed@example.com {"role":"member"}',
    ]);
    const removals = await draftPersonJobs(
      'remove',
      { email: 'zed@example.com', identities: {} },
      { role: 'admin' },
      registry(),
      'b1',
    );
    expect(removals.problems).toEqual([
      'a role is for adding people; removing takes access away whatever the role',
    ]);
  });

  it('an instance a type names once is that instance', async () => {
    const jobs = await personJobs(
      'remove',
      { email: 'zed@example.com', identities: {} },
      { instances: ['m2', 'two'] },
      registry(),
      'b1',
    );
    expect(jobLines(jobs)).toEqual(['two zed@example.com {}']);
  });
});
