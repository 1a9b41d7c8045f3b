import { ConfigError, InvalidInputError } from '@orchester/core';
import { createMemoryConnector } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { registryFor } from '../testing/registry-for.js';
import { parseRoster } from './load-roster.js';

const { connector } = createMemoryConnector();
const registry = registryFor([connector], { 'mem-a': 'memory', 'mem-b': 'memory' });

async function problemsOf(raw: unknown): Promise<{ error: Error; lines: string[] }> {
  const error = await parseRoster(raw, 'team.yaml', registry).then(
    () => {
      throw new Error('expected the roster to be refused');
    },
    (e: Error) => e,
  );
  return {
    error,
    lines: error.message
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^\s*- /, '')),
  };
}

describe('parseRoster', () => {
  it('reads groups, lists and maps of assignments, identities and defaults', async () => {
    const roster = await parseRoster(
      {
        instances: { 'mem-a': { prune: true, minAdmins: 2 } },
        groups: { eng: ['mem-b', { 'mem-a': 'member' }] },
        people: [
          { name: 'Ada', email: 'Ada@Example.com', groups: ['eng'], access: { 'mem-a': 'admin' } },
          {
            name: 'Bob',
            email: 'bob@example.com',
            identities: { memory: 'BOBBY' },
            groups: ['eng'],
          },
        ],
      },
      'team.yaml',
      registry,
    );
    expect(roster.instances).toEqual([
      {
        name: 'mem-a',
        type: 'memory',
        prune: true,
        maxRemovalRatio: 0.25,
        minAdmins: 2,
        adminRole: 'admin',
      },
      {
        name: 'mem-b',
        type: 'memory',
        prune: false,
        maxRemovalRatio: 0.25,
        minAdmins: 1,
        adminRole: 'admin',
      },
    ]);
    const [ada, bob] = roster.people;
    // The person's own access wins over the group's role; e-mails and identities are normalized.
    expect(ada?.assignments).toEqual([
      {
        instance: 'mem-a',
        identifier: 'ada@example.com',
        role: 'admin',
        options: { role: 'admin' },
      },
      {
        instance: 'mem-b',
        identifier: 'ada@example.com',
        role: 'member',
        options: { role: 'member' },
      },
    ]);
    expect(bob?.assignments.map((a) => [a.instance, a.identifier, a.role])).toEqual([
      ['mem-a', 'bobby', 'member'],
      ['mem-b', 'bobby', 'member'],
    ]);
    expect(bob?.keys.get('mem-a')).toEqual(['bobby', 'bob@example.com']);
  });

  it('lists every problem at once, each with its path, person and what was expected', async () => {
    const { error, lines } = await problemsOf({
      groups: { eng: ['mem-a', 42] },
      people: [
        { name: 'Ada', email: 'not-an-email' },
        { name: 'Bob', email: 'bob@example.com', groups: ['sales'], access: { 'mem-a': 'owner' } },
        {
          name: 'Cy',
          email: 'cy@example.com',
          identities: { memory: 'has space' },
          access: ['mem-a'],
        },
        { name: 'Dee', email: 'dee@example.com', colour: 'red' },
        // Ada's entry is invalid, so only the e-mail clash with Bob is found.
        { name: 'ada', email: 'bob@example.com' },
      ],
    });
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).category).toBe('input');
    expect(error.message).toMatch(/^roster team\.yaml has 7 problems:/);
    expect(lines).toEqual([
      'groups.eng[1]: expected an instance name or "instance: role"; got 42',
      expect.stringMatching(/^people\[0\]\.email \(Ada\): an e-mail address/),
      'people[1].groups[0] (Bob): no group "sales" (groups: eng); define it under "groups" or correct the name',
      'people[3] (Dee): unknown key "colour" (remove or correct it)',
      expect.stringMatching(
        /^people\[1\]\.access\.mem-a \(Bob\): invalid options for memory: role: .*\(roles: member, admin\)$/,
      ),
      expect.stringMatching(
        /^people\[2\]\.identities\.memory \(Cy\): "has space" is not a user name or an e-mail address/,
      ),
      'people[4].email (ada): e-mail bob@example.com is also used by people[1]; each person appears once',
    ]);
  });

  it('an identity is checked on every roster instance it names, not only where the person is assigned', async () => {
    // Offboarding removes Eve from mem-a by her keys there: a refused identity must not leave
    // only her e-mail to try.
    const { lines } = await problemsOf({
      instances: { 'mem-a': {} },
      people: [
        {
          name: 'Eve',
          email: 'eve@example.com',
          identities: { 'mem-a': 'eve zed' },
          access: ['mem-b'],
        },
      ],
    });
    expect(lines).toEqual([
      'people[0].identities.mem-a (Eve): "eve zed" is not a user name or an e-mail address (In-memory): letters, digits, ., _, @, + and -',
    ]);
  });

  it('an instance the config does not have is a config error naming the roster path and the config', async () => {
    const { error, lines } = await problemsOf({
      people: [
        { name: 'Ada', email: 'ada@example.com', access: ['github-corp'] },
        { name: 'Bob', email: 'bob@example.com', access: ['github-corp'] },
      ],
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect(lines).toEqual([
      'people[0].access[0]: instance "github-corp" is not configured in the config (no config file was found) (and 1 more place(s)); configured: mem-a, mem-b; add it under "connectors" or correct the name',
    ]);
  });

  it('a top level that is not a roster says which keys it expected, and quotes none of it', async () => {
    for (const notRoster of [{ persons: [] }, 'root:$6$hash:19000:0:99999:7:::', ['a']]) {
      const { error } = await problemsOf(notRoster);
      expect(error.message).toBe(
        'team.yaml does not look like a roster: expected a mapping with "people" (and "instances", "groups"); see docs/rosters.md',
      );
    }
    const { lines } = await problemsOf({ people: [], persons: [] });
    expect(lines).toEqual(['(top level): unknown key "persons" (remove or correct it)']);
  });

  it('reports every problem at once, also those of a person with a problem of their own', async () => {
    const { lines } = await problemsOf({
      instances: { 'mem-a': { prune: 'yes' } },
      groups: { eng: { 'mem-a': 'superuser' } },
      people: [
        { name: 'Ada', groups: ['eng', 'nope'], access: { 'mem-z': 'member' } },
        { name: 'Bob', email: 'bob@example.com', access: { 'mem-b': 'root' } },
      ],
    });
    expect(lines).toEqual([
      'instances.mem-a.prune: Invalid input: expected boolean, received string',
      'people[0].email (Ada): an e-mail address such as "ada@example.com"',
      'people[0].groups[1] (Ada): no group "nope" (groups: eng); define it under "groups" or correct the name',
      'people[0].access.mem-z: instance "mem-z" is not configured in the config (no config file was found); configured: mem-a, mem-b; add it under "connectors" or correct the name',
      'groups.eng.mem-a (Ada): invalid options for memory: role: Invalid option: expected one of "member"|"admin" (roles: member, admin)',
      'people[1].access.mem-b (Bob): invalid options for memory: role: Invalid option: expected one of "member"|"admin" (roles: member, admin)',
    ]);
  });

  it('lists the first problems of a huge bad roster and counts the rest', async () => {
    const people = Array.from({ length: 5_000 }, (_, i) => ({ name: `p${i}`, email: 'not-mail' }));
    const { error, lines } = await problemsOf({ people });
    expect(lines).toHaveLength(21);
    expect(lines[20]).toMatch(/^… and \d+ more \(fix these and run again\)$/);
    expect(error.message.length).toBeLessThan(4_000);
  });
});
