import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import githubEmulator, { addUser } from '@orchester/connector-github/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

type Running = Awaited<ReturnType<typeof githubEmulator.start>>;
interface Team {
  id: number;
  slug: string;
  name: string;
  members: Record<string, { role: 'member' | 'maintainer'; state: 'active' | 'pending' }>;
}

let gh: Running;
let dir: string;
const orchest = (...args: string[]) =>
  runCli(args, { cwd: dir, env: { ORCHESTER_CONFIG_PATH: join(dir, '.orchester.json') } });
const acme = () => (gh.state as unknown as { orgs: Record<string, { teams: Team[] }> }).orgs.acme!;
const team = (slug: string) => acme().teams.find((t) => t.slug === slug)!.members;

function roster(prune: boolean): string {
  const file = join(dir, `team-${prune}.yaml`);
  writeFileSync(
    file,
    [
      'instances:',
      `  github: { prune: ${prune}, maxRemovalRatio: 1 }`,
      'people:',
      '  - { name: Alice, email: alice@acme.test, identities: { github: alice }, access: { github: admin } }',
      // Any role in engineering will do for Bob (he is a maintainer there).
      '  - { name: Bob, email: bob@example.com, identities: { github: bob }, access: { github: { teams: [engineering] } } }',
      '  - { name: Carol, email: carol@example.com, identities: { github: carol }, access: { github: { teams: ["engineering:maintainer", design] } } }',
      '  - { name: Dave, email: dave@example.com, identities: { github: dave }, access: [github] }',
      '  - { name: Erin, email: erin@example.com, identities: { github: erin }, access: [github] }',
      '  - { name: New Hire, email: new.hire@example.com, access: [github] }',
    ].join('\n'),
  );
  return file;
}

beforeAll(async () => {
  gh = await githubEmulator.start({ seed: 'demo' });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => {
  gh.reset('demo');
  gh.clearRequests();
  // A second team, where Dave is, and Carol is not.
  acme().teams.push({
    id: 9001,
    slug: 'design',
    name: 'Design',
    members: { dave: { role: 'member', state: 'active' } },
  });
  dir = mkdtempSync(join(tmpdir(), 'orch-teams-'));
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({
      connectors: { github: { type: 'github', ...gh.configBlock(), base_url: gh.url } },
    }),
    { mode: 0o600 },
  );
});

describe('GitHub teams in plans', () => {
  it('plan shows team joins and maintainer roles; without prune nobody leaves a team', async () => {
    const result = await orchest('plan', roster(false));
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      'github (github): 4 members, 2 pending invitations',
      '  ~ change teams       carol (Carol): teams +engineering (maintainer), +design',
      '  (3 already right; 2 invitations pending)',
      '',
      'Plan: 1 change on 1 instance: 1 member changing teams or channels.',
      '',
    ]);
    // Reading two teams costs two listings each (maintainers, members), whatever their size.
    const reads = gh.requests.filter((r) => r.path.includes('/teams/'));
    expect(
      reads.map((r) => `${r.method} ${r.path} ${new URLSearchParams(r.query).get('role')}`).sort(),
    ).toEqual([
      'GET /orgs/acme/teams/design/members maintainer',
      'GET /orgs/acme/teams/design/members member',
      'GET /orgs/acme/teams/engineering/members maintainer',
      'GET /orgs/acme/teams/engineering/members member',
    ]);
    const json = JSON.parse((await orchest('plan', roster(false), '--json')).stdout) as {
      instances: Array<{ groups: unknown; changes: Array<Record<string, unknown>> }>;
    };
    expect(json.instances[0]?.groups).toEqual({ noun: 'team', managed: ['design', 'engineering'] });
    expect(json.instances[0]?.changes[0]).toMatchObject({
      kind: 'change-groups',
      identifier: 'carol',
      groups: {
        join: [{ group: 'engineering', role: 'maintainer' }, { group: 'design' }],
        leave: [],
      },
    });
    expect(team('design')).toEqual({ dave: { role: 'member', state: 'active' } });
  });

  it('with prune, plan has Dave leave the team the roster does not give him; apply does it all, then plan finds nothing', async () => {
    const file = roster(true);
    const planned = await orchest('plan', file);
    expect(planned.stdout).toContain('  ~ change teams       dave (Dave): teams -design\n');
    expect(planned.stdout).toContain(
      '  ~ change teams       carol (Carol): teams +engineering (maintainer), +design\n',
    );
    const applied = await orchest('apply', file, '--inline', '--yes');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('teams: engineering:maintainer, design');
    expect(applied.stdout).toContain('left teams: design');
    expect(team('engineering')).toEqual({
      bob: { role: 'maintainer', state: 'active' },
      carol: { role: 'maintainer', state: 'active' },
    });
    expect(team('design')).toEqual({ carol: { role: 'member', state: 'active' } });
    // The audit trail says which teams changed, not only that Carol and Dave were members.
    const audit = await orchest('audit');
    expect(audit.stdout).toContain(
      'add carol (Carol): already-member (role member); teams: engineering:maintainer, design',
    );
    expect(audit.stdout).toContain(
      'add dave (Dave): already-member (role member); left teams: design',
    );
    const again = await orchest('plan', file);
    expect(again.stdout).toContain('No changes.');
  });

  it('a maintainer the roster names as a plain member is demoted, with the org role change in the same job', async () => {
    const file = join(dir, 'demote.yaml');
    writeFileSync(
      file,
      [
        'instances: { github: { minAdmins: 0 } }',
        'people:',
        '  - { name: Bob, email: bob@example.com, identities: { github: bob }, access: { github: { role: admin, teams: ["engineering:member"] } } }',
      ].join('\n'),
    );
    const planned = await orchest('plan', file);
    expect(planned.stdout).toContain(
      '  ~ change role        bob (Bob): member -> admin; teams +engineering (member)\n',
    );
    expect((await orchest('apply', file, '--inline', '--yes')).code).toBe(0);
    expect(team('engineering')).toEqual({ bob: { role: 'member', state: 'active' } });
    expect((await orchest('plan', file)).stdout).toContain('No changes.');
  });

  it('an e-mail invitee’s teams go in the invitation; the maintainer role follows their acceptance, then plan finds nothing', async () => {
    const people = (pat: string) =>
      [
        'instances: { github: {} }',
        'people:',
        `  - { name: Pat, email: pat@example.com, ${pat}access: { github: { teams: ["engineering:maintainer", design] } } }`,
        '  - { name: Quinn, email: quinn@example.com, access: { github: { teams: [design] } } }',
      ].join('\n');
    const file = join(dir, 'invitees.yaml');
    writeFileSync(file, people(''));
    const planned = await orchest('plan', file);
    expect(planned.stderr).toBe('');
    // The invitation joins teams as a member: the plan does not promise the maintainer role now.
    expect(planned.stdout).toContain(
      '  + add                pat@example.com (Pat) as member; teams +engineering (member; maintainer on an apply after they accept), +design\n',
    );
    expect(planned.stdout).toContain(
      '  + add                quinn@example.com (Quinn) as member; teams +design\n',
    );
    const json = JSON.parse((await orchest('plan', file, '--json')).stdout) as {
      instances: Array<{ changes: Array<Record<string, unknown>> }>;
    };
    expect(json.instances[0]?.changes[0]?.groups).toEqual({
      join: [{ group: 'engineering', role: 'member' }, { group: 'design' }],
      leave: [],
      afterAcceptance: [{ group: 'engineering', role: 'maintainer' }],
    });

    gh.clearRequests();
    const applied = await orchest('apply', file, '--inline', '--yes');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(
      'the invitation carries teams engineering, design (as member); maintainer of engineering only on an add by login after they accept',
    );
    expect(applied.stdout).toContain('the invitation carries teams design (as member)');
    // Two invitations, and each team's id read once for both.
    const writes = gh.requests.filter(
      (r) => r.method !== 'GET' || r.route === '/orgs/:org/teams/:team_slug',
    );
    expect(writes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /orgs/acme/teams/design',
      'GET /orgs/acme/teams/engineering',
      'POST /orgs/acme/invitations',
      'POST /orgs/acme/invitations',
    ]);
    expect((await orchest('plan', file)).stdout).toContain('No changes.');

    // Both make accounts with the invited addresses and accept.
    for (const login of ['pat', 'quinn']) {
      addUser(gh.state, login, { email: `${login}@example.com` });
      gh.state.tokens[`${login}_token_0123456789`] = { kind: 'pat', login, scopes: ['read:org'] };
      const accepted = await fetch(`${gh.url}/user/memberships/orgs/acme`, {
        method: 'PATCH',
        headers: {
          authorization: `token ${login}_token_0123456789`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ state: 'active' }),
      });
      expect(accepted.status).toBe(200);
    }
    expect(team('engineering').pat).toEqual({ role: 'member', state: 'active' });
    expect(team('design')).toMatchObject({
      pat: { role: 'member', state: 'active' },
      quinn: { role: 'member', state: 'active' },
    });

    // GitHub lists members by login: the roster names them now, as docs/rosters.md asks.
    writeFileSync(
      file,
      people('identities: { github: pat }, ').replace(
        'email: quinn@example.com, ',
        'email: quinn@example.com, identities: { github: quinn }, ',
      ),
    );
    const after = await orchest('plan', file);
    expect(after.stdout).toContain(
      '  ~ change teams       pat (Pat): teams +engineering (maintainer)\n',
    );
    expect(after.stdout).toContain('Plan: 1 change on 1 instance');
    expect((await orchest('apply', file, '--inline', '--yes')).code).toBe(0);
    expect(team('engineering').pat).toEqual({ role: 'maintainer', state: 'active' });
    expect((await orchest('plan', file)).stdout).toContain('No changes.');
  });

  it('add --teams slug:maintainer and --leaveTeams work from the command line too', async () => {
    const joined = await orchest('add', 'carol', '--teams', 'design:maintainer');
    expect(joined.code).toBe(0);
    expect(team('design').carol).toEqual({ role: 'maintainer', state: 'active' });
    const left = await orchest('add', 'bob', '--leaveTeams', 'engineering');
    expect(left.code).toBe(0);
    expect(left.stdout).toContain('left teams: engineering');
    expect(team('engineering')).toEqual({});
  });

  it('a team the organization does not have fails the plan with exit 2, naming it', async () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(
      file,
      'people:\n  - { name: Bob, email: bob@example.com, identities: { github: bob }, access: { github: { teams: [enginering] } } }\n',
    );
    const result = await orchest('plan', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('acme has no team "enginering"');
  });
});
