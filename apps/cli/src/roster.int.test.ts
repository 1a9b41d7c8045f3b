import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

// Two instances of a connector whose service is a JSON file, so every orchest process sees it.
const FIXTURE = join(import.meta.dirname, '..', 'test', 'fixtures', 'file-connector');

interface Member {
  state: string;
  role: string;
}
interface ServiceFile {
  members: Record<string, Member>;
  calls?: string[];
  fail?: string[];
}

const SECRET = 'tok-sekret-4f9a';
let dir: string;
const service = (name: string): ServiceFile =>
  JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as ServiceFile;
const seed = (name: string, members: Record<string, Member>, extra: Partial<ServiceFile> = {}) =>
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ members, ...extra }));
const m = (role = 'member'): Member => ({ state: 'member', role });
const inv = (): Member => ({ state: 'invited', role: 'member' });
const orchest = (...args: string[]) => runCli(args, { cwd: dir });

const ROSTER = `
instances:
  corp: { prune: true, maxRemovalRatio: 0.5 }
groups:
  eng: [corp: member, chat]
people:
  - { name: Ada, email: ada@example.com, identities: { corp: ada }, groups: [eng], access: { corp: admin } }
  - { name: Bob, email: bob@example.com, identities: { filestore: bob }, access: { corp: admin } }
  - { name: Cy, email: cy@example.com, groups: [eng] }
  - { name: Hal, email: hal@example.com, groups: [eng] }
`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orch-roster-'));
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({
      plugins: [FIXTURE],
      actor: 'ci-bot',
      audit: { path: 'logs/audit.jsonl' },
      connectors: {
        corp: { type: 'filestore', state_file: 'corp.json', page_size: 2, token: SECRET },
        chat: { type: 'filestore', state_file: 'chat.json' },
      },
    }),
    { mode: 0o600 },
  );
  seed('corp', {
    ada: m('admin'),
    bob: m(),
    'cy@example.com': inv(),
    eve: m(),
    'fay@example.com': inv(),
  });
  seed('chat', { 'ada@example.com': m(), 'zed@example.com': m() });
  writeFileSync(join(dir, 'team.yaml'), ROSTER);
});

describe('orchest plan and apply', () => {
  it('plan prints each change by instance, reads each instance once by pages, and changes nothing', async () => {
    const result = await orchest('plan', 'team.yaml');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'chat (filestore): 2 members, 0 pending invitations',
      '  + add                cy@example.com (Cy) as member',
      '  + add                hal@example.com (Hal) as member',
      '  (1 already right; 1 member or invitation not in the roster left alone (prune is off))',
      'corp (filestore, prune): 3 members, 2 pending invitations',
      '  ~ change role        bob (Bob): member -> admin',
      '  + add                hal@example.com (Hal) as member',
      '  - remove             eve (member)',
      '  - cancel invitation  fay@example.com',
      '  (1 already right; 1 invitation pending)',
      '',
      'Plan: 6 changes on 2 instances: 3 to add, 1 role change, 1 to remove, 1 invitation to cancel.',
      '',
    ]);
    // Five members at two a page: three pages on corp, one on chat, no per-person checks.
    expect(service('corp').calls).toEqual(['list', 'list', 'list']);
    expect(service('chat').calls).toEqual(['list']);
    expect(service('corp').members.eve).toEqual(m());

    const json = await orchest('plan', 'team.yaml', '--json');
    const plan = JSON.parse(json.stdout) as {
      summary: Record<string, number>;
      instances: Array<{ instance: string; changes: Array<{ kind: string; identifier: string }> }>;
    };
    expect(plan.summary).toMatchObject({
      changes: 6,
      add: 3,
      'change-role': 1,
      remove: 1,
      'cancel-invitation': 1,
    });
    expect(plan.instances[1]?.changes.map((c) => `${c.kind} ${c.identifier}`)).toEqual([
      'change-role bob',
      'add hal@example.com',
      'remove eve',
      'cancel-invitation fay@example.com',
    ]);
  });

  it('apply refuses without a terminal or --yes, and without a reachable queue', async () => {
    const noTty = await orchest('apply', 'team.yaml', '--inline');
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('standard input is not a terminal');
    expect(noTty.stderr).toContain('pass --yes');
    // Port 1 on loopback: nothing listens there, so the queue cannot be reached.
    const queued = await runCli(['apply', 'team.yaml', '--yes'], {
      cwd: dir,
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
    expect(queued.code).not.toBe(0);
    expect(queued.stderr).toContain('redis://127.0.0.1:1');
    expect(queued.stderr).toContain('--inline');
    // Both refusals come before any service is read.
    expect(service('corp').calls ?? []).toEqual([]);
    expect(service('chat').calls ?? []).toEqual([]);
  });

  it('apply --inline --yes carries out the plan, audits each change, and plan then says "No changes."', async () => {
    const applied = await orchest('apply', 'team.yaml', '--inline', '--yes');
    expect(applied.code).toBe(0);
    const lines = applied.stdout.split('\n');
    const reportStart = lines.findIndex((l) => l.startsWith('cy@example.com: added'));
    expect(lines.slice(reportStart, reportStart + 6)).toEqual([
      'cy@example.com: added to chat (role member)',
      'hal@example.com: added to chat (role member)',
      'bob: role changed in corp (role admin)',
      'hal@example.com: added to corp (role member)',
      'eve: removed from corp',
      'fay@example.com: invitation cancelled in corp',
    ]);
    expect(lines[reportStart + 6]).toMatch(
      /^Batch \S+: 6 jobs, 6 succeeded \(added 3, role-changed 1, removed 1, invitation-cancelled 1\), 0 failed\.$/,
    );
    expect(Object.keys(service('corp').members).sort()).toEqual([
      'ada',
      'bob',
      'cy@example.com',
      'hal@example.com',
    ]);
    expect(service('corp').members.bob).toEqual(m('admin'));

    const again = await orchest('plan', 'team.yaml');
    expect(again.stdout.trim().split('\n').at(-1)).toBe('No changes.');

    const auditFile = join(dir, 'logs', 'audit.jsonl');
    expect(statSync(auditFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logs')).mode & 0o777).toBe(0o700);
    const audit = await orchest('audit', '--json');
    const records = JSON.parse(audit.stdout) as Array<Record<string, string>>;
    expect(
      records.map(
        (r) =>
          `${r.instance} ${r.action} ${r.identifier} ${r.outcome} ${r.person ?? '-'} ${r.actor}`,
      ),
    ).toEqual([
      'chat add cy@example.com added Cy ci-bot',
      'chat add hal@example.com added Hal ci-bot',
      'corp add bob role-changed Bob ci-bot',
      'corp add hal@example.com added Hal ci-bot',
      'corp remove eve removed - ci-bot',
      'corp remove fay@example.com invitation-cancelled - ci-bot',
    ]);
    expect(new Set(records.map((r) => r.batchId)).size).toBe(1);
    const hal = JSON.parse(
      (await orchest('audit', '--person', 'HAL', '--json')).stdout,
    ) as unknown[];
    expect(hal).toHaveLength(2);
    const corp = await orchest('audit', '--instance', 'corp', '--since', '1h');
    expect(corp.stdout.trim().split('\n')).toHaveLength(4);
    expect(corp.stdout).toMatch(/ci-bot {2}corp {2}remove eve: removed {2}batch /);
    const future = await orchest('audit', '--since', '2999-01-01');
    expect(future.stdout.trim()).toBe('No audit records match.');
    const bad = await orchest('audit', '--since', 'yesterday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since "yesterday" is not a date');
  });

  it('the removal guard refuses with exit 2 and says by how much; --force goes on', async () => {
    writeFileSync(
      join(dir, 'team.yaml'),
      ROSTER.replace('maxRemovalRatio: 0.5', 'maxRemovalRatio: 0.25'),
    );
    seed('corp', { ada: m('admin'), bob: m(), eve: m(), gil: m(), ian: m() });
    const refused = await orchest('apply', 'team.yaml', '--inline', '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'corp: would remove 3 of 5 members (60%), over maxRemovalRatio 25% by 2 people',
    );
    expect(refused.stderr).toContain('pass --force to go on');
    expect(Object.keys(service('corp').members)).toHaveLength(5);
    const forced = await orchest('apply', 'team.yaml', '--inline', '--yes', '--force');
    expect(forced.code).toBe(0);
    expect(Object.keys(service('corp').members).sort()).toEqual([
      'ada',
      'bob',
      'cy@example.com',
      'hal@example.com',
    ]);
  });

  it('the admin guard refuses a plan leaving no admin; --force goes on', async () => {
    writeFileSync(
      join(dir, 'team.yaml'),
      ROSTER.replace(
        'access: { corp: admin } }\n  - { name: Bob',
        'access: { corp: member } }\n  - { name: Bob',
      ).replace(
        'identities: { filestore: bob }, access: { corp: admin }',
        'identities: { filestore: bob }, access: { corp: member }',
      ),
    );
    const refused = await orchest('apply', 'team.yaml', '--inline', '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'corp: would leave 0 admin members (now 1), under minAdmins 1 by 1',
    );
    expect(service('corp').members.ada).toEqual(m('admin'));
    const forced = await orchest('apply', 'team.yaml', '--inline', '--yes', '--force');
    expect(forced.code).toBe(0);
    expect(service('corp').members.ada).toEqual(m('member'));
  });

  it('a failed job makes apply answer 3 and is audited with its error code', async () => {
    seed('corp', { ada: m('admin'), bob: m(), eve: m() }, { fail: ['eve'] });
    const result = await orchest('apply', 'team.yaml', '--inline', '--yes');
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('eve: remove failed in corp: the token may not change eve');
    const records = JSON.parse(
      (await orchest('audit', '--person', 'eve', '--json')).stdout,
    ) as Array<Record<string, string>>;
    expect(records.map((r) => [r.action, r.error, r.outcome])).toEqual([
      ['remove', 'ORCH_PERMISSION', undefined],
    ]);
  });

  it('an invalid roster lists every problem and exits 2 before reading any service', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'people:\n  - { name: Ada, email: nope }\n  - { name: Bob, email: bob@example.com, access: [corp: owner, github-oss] }\n',
    );
    const result = await orchest('plan', 'bad.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.yaml has 3 problems');
    expect(result.stderr).toContain('people[0].email (Ada): an e-mail address');
    expect(result.stderr).toContain(
      'people[1].access[1]: instance "github-oss" is not configured in',
    );
    expect(result.stderr).toMatch(
      /people\[1\]\.access\[0\]\.corp \(Bob\): invalid options for filestore: role/,
    );
    expect(service('corp').calls ?? []).toEqual([]);
  });
});

describe('orchest onboard and offboard', () => {
  it('onboards from the roster with roles, as one batch', async () => {
    const result = await orchest('onboard', 'hal', '--roster', 'team.yaml');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      'hal@example.com: added to chat (role member)',
      'hal@example.com: added to corp (role member)',
    ]);
    expect(result.stdout).toMatch(/Batch \S+: 2 jobs, 2 succeeded \(added 2\), 0 failed\./);
  });

  it('offboards by roster name from every roster instance, members and invitations alike', async () => {
    seed('chat', { 'cy@example.com': m() });
    const result = await orchest('offboard', 'Cy', '--roster', 'team.yaml');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      'cy@example.com: removed from chat',
      'cy@example.com: invitation cancelled in corp',
    ]);
    const records = JSON.parse((await orchest('audit', '--json')).stdout) as Array<
      Record<string, string>
    >;
    expect(records.map((r) => [r.person, r.email, r.outcome])).toEqual([
      ['Cy', 'cy@example.com', 'removed'],
      ['Cy', 'cy@example.com', 'invitation-cancelled'],
    ]);
  });

  it('offboards without a roster on every configured instance; absent answers not-member', async () => {
    const result = await orchest('offboard', 'zed@example.com', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      jobs: Array<{ instance: string; outcome: string }>;
    };
    expect(report.jobs.map((j) => `${j.instance} ${j.outcome}`)).toEqual([
      'corp not-member',
      'chat removed',
    ]);
    const flags = await orchest(
      'offboard',
      'Eve',
      '--email',
      'eve@example.com',
      '--identity',
      'corp=eve',
      '--instances',
      'corp',
    );
    expect(flags.stdout.split('\n').slice(0, 2)).toEqual([
      'eve: removed from corp',
      'eve@example.com: was not a member of corp',
    ]);
  });

  it('asks for an e-mail or identity when PERSON is only a name', async () => {
    const result = await orchest('offboard', 'Zed');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"Zed" is not an e-mail; give --email');
  });
});

describe('secrets', () => {
  it('never appear in plans, reports or the audit trail', async () => {
    const outputs = [
      await orchest('plan', 'team.yaml', '--json'),
      await orchest('apply', 'team.yaml', '--inline', '--yes', '--json'),
      await orchest('offboard', 'ada@example.com'),
      await orchest('audit', '--json'),
    ];
    expect(outputs.map((o) => o.code)).toEqual([0, 0, 0, 0]);
    const text =
      outputs.map((o) => o.stdout + o.stderr).join('') +
      readFileSync(join(dir, 'logs', 'audit.jsonl'), 'utf8');
    expect(text).toContain('ada@example.com');
    expect(text).not.toContain(SECRET);
  });
});

describe('orchest add and rm', () => {
  it('write audit records too', async () => {
    expect((await orchest('-c', 'chat', 'add', 'new@example.com', '--role', 'admin')).code).toBe(0);
    expect((await orchest('-c', 'chat', 'rm', 'zed@example.com')).code).toBe(0);
    expect((await orchest('-c', 'chat', 'check', 'ada@example.com')).code).toBe(0);
    const records = JSON.parse((await orchest('audit', '--json')).stdout) as Array<
      Record<string, string>
    >;
    expect(records.map((r) => `${r.action} ${r.identifier} ${r.outcome} ${r.role ?? '-'}`)).toEqual(
      ['add new@example.com added admin', 'remove zed@example.com removed -'],
    );
  });
});
