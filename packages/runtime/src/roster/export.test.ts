import { defineConnector } from '@orchester/core';
import { createMemoryConnector } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { registryFor } from '../testing/registry-for.js';
import { exportRoster } from './export.js';
import { exportedRosterYaml, mergeRosterFile } from './export-file.js';
import { parseRoster } from './load-roster.js';
import { readMembers } from './members.js';
import { plan } from './plan.js';

/**
 * Two services of one type (chat-a, chat-b: by e-mail or login) and one of another (code: by
 * login), each a memory connector read in pages of two.
 */
function services() {
  const chatA = createMemoryConnector({
    id: 'chat',
    pageSize: 2,
    members: {
      'ada@example.com': { state: 'member', role: 'admin' },
      'bob@example.com': 'invited',
      // A role orchester cannot give: exported without one.
      'own@example.com': { state: 'member', role: 'owner' },
      // Known by login, the service also shows the e-mail: one person with Ada's other entries.
      cyd: { state: 'member', role: 'member', aliases: ['cy@example.com'] },
      'gone@example.com': { state: 'deactivated', role: 'member' },
    },
  });
  const chatB = createMemoryConnector({
    id: 'chat',
    members: {
      'ada@example.com': 'member',
      cy: { state: 'member', role: 'member', aliases: ['cy@example.com'] },
    },
  });
  const code = createMemoryConnector({
    id: 'code',
    members: { zed: { state: 'member', role: 'admin' }, ada: 'member' },
  });
  const registry = registryFor([chatA.connector, code.connector], {
    'chat-a': 'chat',
    'chat-b': 'chat',
    code: 'code',
  });
  // One connector type, two services: each instance its own memory service.
  return { registry, chatA, chatB, code };
}

describe('readMembers and exportRoster', () => {
  it('exports one person per e-mail, stand-ins for logins, no deactivated, and plan on it finds nothing', async () => {
    const { chatA, code } = services();
    const registry = registryFor([chatA.connector, code.connector], {
      'chat-a': 'chat',
      code: 'code',
    });
    const progress: Array<[string, number]> = [];
    const members = await readMembers(['chat-a', 'code'], registry, {
      onProgress: (instance, n) => progress.push([instance, n]),
    });
    // Five records in pages of two: three list calls, and progress for every record.
    expect(chatA.service.calls.map((c) => c.action)).toEqual(['list', 'list', 'list']);
    expect(progress.filter(([i]) => i === 'chat-a').map(([, n]) => n)).toEqual([1, 2, 3, 4, 5]);
    expect(members[0]!.members.map((m) => `${m.identifier} ${m.state} ${m.email ?? '-'}`)).toEqual([
      'ada@example.com member ada@example.com',
      'bob@example.com invited bob@example.com',
      'cyd member cy@example.com',
      'gone@example.com deactivated gone@example.com',
      'own@example.com member own@example.com',
    ]);

    const connectors = new Map([
      ['chat-a', chatA.connector],
      ['code', code.connector],
    ]);
    const exported = exportRoster(members, connectors);
    expect(exported.deactivated).toBe(1);
    expect(exported.roster.instances).toEqual({
      'chat-a': { prune: false },
      code: { prune: false },
    });
    expect(exported.roster.people).toEqual([
      {
        name: 'ada',
        email: 'ada@code.invalid',
        identities: { code: 'ada' },
        access: { code: 'member' },
      },
      { name: 'ada@example.com', email: 'ada@example.com', access: { 'chat-a': 'admin' } },
      { name: 'bob@example.com', email: 'bob@example.com', access: { 'chat-a': 'member' } },
      {
        name: 'cy@example.com',
        email: 'cy@example.com',
        identities: { chat: 'cyd' },
        access: { 'chat-a': 'member' },
      },
      { name: 'own@example.com', email: 'own@example.com', access: { 'chat-a': null } },
      {
        name: 'zed',
        email: 'zed@code.invalid',
        identities: { code: 'zed' },
        access: { code: 'admin' },
      },
    ]);
    expect(exported.standIns.map((s) => `${s.instance} ${s.identifier} ${s.email}`)).toEqual([
      'code ada ada@code.invalid',
      'code zed zed@code.invalid',
    ]);

    const back = await parseRoster(exported.roster, 'exported.yaml', registry);
    const p = await plan(back, registry);
    expect(p.summary.changes).toBe(0);
    const yaml = exportedRosterYaml(exported, 'Exported for a test.');
    expect(yaml.split('\n')[0]).toBe('# Exported for a test.');
    expect(yaml).toContain('email: zed@code.invalid # e-mail unknown: code shows zed without one');
  });

  it('keys identities by instance where one type knows a person by different logins', async () => {
    const { registry, chatA, chatB } = services();
    // One memory connector serves one service: chat-b's members are written out here.
    const [a] = await readMembers(['chat-a'], registry);
    const b = {
      instance: 'chat-b',
      type: 'chat',
      members: [
        {
          instance: 'chat-b',
          type: 'chat',
          identifier: 'cy',
          state: 'member' as const,
          role: 'member',
          email: 'cy@example.com',
          aliases: [],
        },
      ],
    };
    const exported = exportRoster(
      [a!, b],
      new Map([
        ['chat-a', chatA.connector],
        ['chat-b', chatB.connector],
      ]),
    );
    expect(exported.roster.people.find((p) => p.email === 'cy@example.com')).toEqual({
      name: 'cy@example.com',
      email: 'cy@example.com',
      identities: { 'chat-a': 'cyd', 'chat-b': 'cy' },
      access: { 'chat-a': 'member', 'chat-b': 'member' },
    });
  });

  it('names people after the service, each name once however many share it', async () => {
    const { connector } = createMemoryConnector({ id: 'chat' });
    const entry = (identifier: string, name: string) => ({
      instance: 'chat-a',
      type: 'chat',
      identifier,
      name,
      state: 'member' as const,
      role: 'member',
      email: identifier,
      aliases: [],
    });
    const exported = exportRoster(
      [
        {
          instance: 'chat-a',
          type: 'chat',
          members: [
            entry('a1@example.com', 'Ada'),
            entry('a2@example.com', 'ada'),
            entry('a3@example.com', 'Ada'),
          ],
        },
      ],
      new Map([['chat-a', connector]]),
    );
    expect(exported.roster.people.map((p) => p.name)).toEqual([
      'Ada',
      'ada (chat-a)',
      'Ada (chat-a 2)',
    ]);
    const registry = registryFor([connector], { 'chat-a': 'chat' });
    await expect(parseRoster(exported.roster, 'x.yaml', registry)).resolves.toBeDefined();
  });

  it('says so of a connector that cannot list, and reads nothing there', async () => {
    const { connector, service } = createMemoryConnector({
      id: 'nolist',
      members: { ada: 'member' },
    });
    const blind = defineConnector({
      ...connector,
      capabilities: { ...connector.capabilities, list: false },
    });
    const registry = registryFor([blind], { blind: 'nolist' });
    const [members] = await readMembers(['blind'], registry);
    expect(members).toEqual({ instance: 'blind', type: 'nolist', listed: false, members: [] });
    expect(service.calls).toEqual([]);
  });
});

describe('mergeRosterFile', () => {
  const ROSTER = [
    '# The team; keep this comment.',
    'groups:',
    '  leads: [chat-a: admin] # leads group',
    'people:',
    '  - name: Ada # first',
    '    email: ada@example.com',
    '    groups: [leads]',
    '  - name: Cy',
    '    email: cy@example.com',
    '    identities: { chat: cyd }',
    '    access: [code] # list form stays a list',
    '',
  ].join('\n');

  it('keeps comments, groups and list forms, adds access, people and instances, and removes nothing', async () => {
    const { chatA, code } = services();
    const registry = registryFor([chatA.connector, code.connector], {
      'chat-a': 'chat',
      code: 'code',
    });
    const roster = await parseRoster((await import('yaml')).parse(ROSTER), 'team.yaml', registry);
    const members = await readMembers(['chat-a', 'code'], registry, { roster });
    const exported = exportRoster(
      members,
      new Map([
        ['chat-a', chatA.connector],
        ['code', code.connector],
      ]),
    );
    const merged = mergeRosterFile(ROSTER, roster, exported, false);
    expect(merged.instancesAdded).toEqual(['chat-a', 'code']);
    // Ada gets nothing: her group gives her chat-a as admin already. Cy: chat-a, which she has.
    expect(
      merged.accessUpdated.map((u) => `${u.index} ${u.instance} ${u.role} ${u.was ?? '-'}`),
    ).toEqual(['1 chat-a member -']);
    for (const kept of [
      '# The team; keep this comment.',
      '# leads group',
      '# first',
      '# list form stays a list',
    ]) {
      expect(merged.text).toContain(kept);
    }
    const text = merged.text;
    const parsed = (await import('yaml')).parse(text) as {
      people: Array<{ name: string; email: string; access?: unknown }>;
    };
    expect(parsed.people[1]).toMatchObject({
      name: 'Cy',
      access: ['code', { 'chat-a': 'member' }],
    });
    // Ada is also the code login "ada": the services do not say so, so that one is a new person.
    expect(parsed.people.slice(2).map((p) => p.email)).toEqual([
      'ada@code.invalid',
      'bob@example.com',
      'own@example.com',
      'zed@code.invalid',
    ]);
    expect(merged.peopleAdded).toBe(4);
    // Cy's "code" stays although the service lacks her: plan shows that add and nothing else.
    const again = await parseRoster(parsed, 'team.yaml', registry);
    const p = await plan(again, registry);
    expect(
      p.instances.flatMap((i) => i.changes.map((c) => `${c.instance} ${c.kind} ${c.identifier}`)),
    ).toEqual(['code add cy@example.com']);

    const json = mergeRosterFile(
      JSON.stringify((await import('yaml')).parse(ROSTER)),
      roster,
      exported,
      true,
    );
    expect(JSON.parse(json.text)).toEqual(parsed);
  });

  it('gives an added person whose name the roster already uses another name', async () => {
    const { chatA, code } = services();
    const registry = registryFor([chatA.connector, code.connector], {
      'chat-a': 'chat',
      code: 'code',
    });
    const text = 'people:\n  - { name: zed, email: z@example.com }\n';
    const roster = await parseRoster(
      { people: [{ name: 'zed', email: 'z@example.com' }] },
      't.yaml',
      registry,
    );
    const members = await readMembers(['code'], registry, { roster });
    const merged = mergeRosterFile(
      text,
      roster,
      exportRoster(members, new Map([['code', code.connector]])),
      false,
    );
    const parsed = (await import('yaml')).parse(merged.text) as { people: Array<{ name: string }> };
    expect(parsed.people.map((p) => p.name)).toEqual(['zed', 'ada', 'zed (2)']);
  });
});
