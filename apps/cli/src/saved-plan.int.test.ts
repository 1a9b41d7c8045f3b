// Saved plans (`plan --out`, `apply PLAN.json`) and `batch apply --dry-run`, against the GitHub
// emulator with the real SDK, as people run the CLI.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import githubEmulator, { addUser } from '@orchester/connector-github/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

type Running = Awaited<ReturnType<typeof githubEmulator.start>>;

let gh: Running;
let dir: string;
let token: string;

const orchest = (...args: string[]) =>
  runCli(args, { cwd: dir, env: { ORCHESTER_CONFIG_PATH: join(dir, '.orchester.json') } });
const acme = () => gh.state.orgs.acme!;
const invitedLogins = () => acme().invitations.map((i) => i.login ?? i.email);
const writes = () => gh.requests.filter((r) => r.method !== 'GET');

// The demo org: alice admin (the token's owner), bob, carol and dave members, erin invited by
// login, new.hire@example.com invited by e-mail; octocat and mona have accounts only.
const ROSTER = `instances:
  github: { prune: true, maxRemovalRatio: 1 }
people:
  - { name: Alice, email: alice@acme.test, identities: { github: alice }, access: { github: admin } }
  - { name: Bob, email: bob@example.com, identities: { github: bob }, access: { github: admin } }
  - { name: Carol, email: carol@example.com, identities: { github: carol }, access: { github: member } }
  - { name: Octo, email: octocat@github.test, identities: { github: octocat }, access: { github: member } }
`;

beforeAll(async () => {
  gh = await githubEmulator.start({ seed: 'demo' });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => {
  gh.reset('demo');
  dir = mkdtempSync(join(tmpdir(), 'orch-saved-plan-'));
  const block = gh.configBlock() as Record<string, unknown>;
  token = String(block.token);
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({ connectors: { github: { type: 'github', ...block, base_url: gh.url } } }),
    { mode: 0o600 },
  );
  writeFileSync(join(dir, 'team.yaml'), ROSTER);
});

interface SavedPlanFile {
  format: string;
  version: number;
  createdAt: string;
  roster: { file: string; sha256: string };
  memberships: Array<{
    instance: string;
    identifier: string;
    keys: string[];
    state: string;
    role?: string;
  }>;
  plan: { instances: Array<{ changes: Array<{ kind: string; identifier: string }> }> };
}
const savedPlan = () => JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as SavedPlanFile;

describe('orchest plan --out', () => {
  it('saves the plan with the roster hash and where each changed person stood, and no secret', async () => {
    const result = await orchest('plan', 'team.yaml', '--out', 'plan.json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Saved the plan to plan.json');
    expect(statSync(join(dir, 'plan.json')).mode & 0o777).toBe(0o600);
    const saved = savedPlan();
    expect(saved).toMatchObject({ format: 'orchester-plan', version: 1 });
    expect(saved.roster).toEqual({
      file: join(dir, 'team.yaml'),
      sha256: createHash('sha256').update(ROSTER).digest('hex'),
    });
    // One row per change, with the state (and role) the seed gives each person.
    const rows = saved.memberships.map((m) => `${m.identifier} ${m.state} ${m.role ?? '-'}`);
    expect(rows.sort()).toEqual(
      [
        'bob member member',
        'octocat absent -',
        'dave member member',
        'erin invited member',
        'new.hire@example.com invited member',
      ].sort(),
    );
    expect(saved.memberships.find((m) => m.identifier === 'octocat')?.keys).toEqual([
      'octocat',
      'octocat@github.test',
    ]);
    expect(readFileSync(join(dir, 'plan.json'), 'utf8')).not.toContain(token);
    expect(writes()).toEqual([]);

    const nowhere = await orchest('plan', 'team.yaml', '--out', 'no-such-dir/plan.json');
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain(
      `--out ${join(dir, 'no-such-dir', 'plan.json')}: cannot write the plan there (ENOENT)`,
    );
  });
});

describe('orchest apply PLAN.json', () => {
  it('carries out exactly the saved plan, even after the roster changed', async () => {
    expect((await orchest('plan', 'team.yaml', '--out', 'plan.json')).code).toBe(0);
    // Mona joins the roster after the plan was saved: the saved plan does not invite her.
    writeFileSync(
      join(dir, 'team.yaml'),
      `${ROSTER}  - { name: Mona, email: mona@example.com, identities: { github: mona }, access: { github: member } }\n`,
    );
    const applied = await orchest('apply', 'plan.json', '--inline', '--yes');
    expect(applied.stderr).toBe(
      `orchest: note: ${join(dir, 'team.yaml')} changed since this plan was made; the saved plan is carried out as saved (plan again to include the changes)\n`,
    );
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`Saved plan made ${savedPlan().createdAt} from`);
    expect(acme().members.bob).toBe('admin');
    expect(acme().members.dave).toBeUndefined();
    expect(invitedLogins()).toEqual(['octocat']);
    const again = await orchest('plan', 'team.yaml');
    // Only what the saved plan did not hold is left: Mona.
    expect(again.stdout).toContain('+ add                mona (Mona) as member');
    expect(again.stdout).toContain('Plan: 1 change on 1 instance');
  });

  it('refuses a stale plan, listing each membership that moved, and changes nothing', async () => {
    expect((await orchest('plan', 'team.yaml', '--out', 'plan.json')).code).toBe(0);
    // Two people the plan changes move; one it does not change (carol) moves too.
    acme().members.dave = 'admin';
    acme().invitations.splice(
      acme().invitations.findIndex((i) => i.login === 'erin'),
      1,
    );
    acme().members.erin = 'member';
    acme().members.carol = 'admin';
    gh.clearRequests();
    const applied = await orchest('apply', 'plan.json', '--inline', '--yes');
    expect(applied.code).toBe(2);
    expect(applied.stderr).toContain(
      'refusing to apply plan.json: 2 memberships it changes have changed since the plan was made',
    );
    expect(applied.stderr).toContain('github: dave: was member (member), now member (admin)');
    expect(applied.stderr).toContain('github: erin: was invited (member), now member (member)');
    expect(applied.stderr).not.toContain('carol');
    expect(applied.stderr).toContain('Nothing was changed');
    expect(applied.stderr).toContain('orchest plan');
    expect(writes()).toEqual([]);
    expect(acme().members.bob).toBe('member');
    expect(invitedLogins()).toContain('new.hire@example.com');

    const json = await orchest('apply', 'plan.json', '--inline', '--yes', '--json');
    expect(json.code).toBe(2);
    const error = JSON.parse(json.stdout) as {
      error: { details: { stale: Array<{ identifier: string; now: { role?: string } }> } };
    };
    expect(error.error.details.stale.map((s) => s.identifier).sort()).toEqual(['dave', 'erin']);
  });

  it('keeps the safety limits: a saved plan breaking one is refused unless --force', async () => {
    writeFileSync(
      join(dir, 'team.yaml'),
      ROSTER.replace('maxRemovalRatio: 1', 'maxRemovalRatio: 0'),
    );
    expect((await orchest('plan', 'team.yaml', '--out', 'plan.json')).code).toBe(0);
    const refused = await orchest('apply', 'plan.json', '--inline', '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('over maxRemovalRatio 0%');
    expect(writes()).toEqual([]);
    const forced = await orchest('apply', 'plan.json', '--inline', '--yes', '--force');
    expect(forced.code).toBe(0);
    expect(acme().members.dave).toBeUndefined();
  });

  it('refuses a tampered plan file with exit 2, naming the field, before reading any service', async () => {
    expect((await orchest('plan', 'team.yaml', '--out', 'plan.json')).code).toBe(0);
    const good = readFileSync(join(dir, 'plan.json'), 'utf8');
    gh.clearRequests();
    const tamper = async (text: string) => {
      writeFileSync(join(dir, 'plan.json'), text);
      return orchest('apply', 'plan.json', '--inline', '--yes');
    };

    const cut = await tamper(good.slice(0, good.length / 2));
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain('plan.json is not valid JSON at line');

    const wrongKind = JSON.parse(good) as SavedPlanFile;
    wrongKind.plan.instances[0]!.changes[0]!.kind = 'obliterate';
    const kind = await tamper(JSON.stringify(wrongKind));
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('plan.instances[0].changes[0].kind: Invalid option');

    const newer = { ...(JSON.parse(good) as SavedPlanFile), version: 2 };
    const version = await tamper(JSON.stringify(newer));
    expect(version.code).toBe(2);
    expect(version.stderr).toContain('version: this orchester reads saved plan version 1');

    // A change slipped in without a fingerprint row could never be checked for staleness.
    const slipped = JSON.parse(good) as SavedPlanFile;
    slipped.plan.instances[0]!.changes.push({ kind: 'remove', identifier: 'alice' });
    Object.assign(slipped.plan.instances[0]!.changes.at(-1)!, {
      instance: 'github',
      from: 'member',
    });
    const unfingerprinted = await tamper(JSON.stringify(slipped));
    expect(unfingerprinted.code).toBe(2);
    expect(unfingerprinted.stderr).toContain('github alice has no row in memberships');

    expect(gh.requests).toEqual([]);
    expect(acme().members.alice).toBe('admin');
  });
});

describe('orchest batch apply --dry-run', () => {
  const ROWS = [
    'instance,action,identifier,role',
    'github,add,octocat,', // absent: added (invited), with the default role
    'github,add,bob,admin', // member: role changed
    'github,add,carol,', // member: nothing
    'github,add,erin,', // invited: nothing
    'github,remove,dave,', // member: removed
    'github,remove,new.hire@example.com,', // invited: invitation cancelled
    'github,remove,mona,', // account only: nothing
    'github,check,alice,',
  ].join('\n');

  it('says what each row would do from one snapshot, changes nothing, and needs no Redis', async () => {
    writeFileSync(join(dir, 'rows.csv'), `${ROWS}\n`);
    addUser(gh.state, 'zed');
    const result = await runCli(['batch', 'apply', 'rows.csv', '--dry-run'], {
      cwd: dir,
      env: {
        ORCHESTER_CONFIG_PATH: join(dir, '.orchester.json'),
        REDIS_URL: 'redis://127.0.0.1:1',
      },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'row 2: github: + add octocat (now absent)',
      'row 3: github: ~ change role bob (now member, member) -> admin',
      'row 4: github: = nothing (already a member) carol (now member, member)',
      'row 5: github: = nothing (already invited) erin (now invited, member)',
      'row 6: github: - remove dave (now member, member)',
      'row 7: github: - cancel invitation new.hire@example.com (now invited, member)',
      'row 8: github: = nothing (not a member) mona (now absent)',
      'row 9: github: ? check alice (now member, admin)',
      '',
      'Dry run: 4 of 8 rows would change something; nothing was changed.',
      '',
    ]);
    expect(writes()).toEqual([]);
    // One listing (members, then invitations), never one request per row.
    const asked = new Set(gh.requests.map((r) => `${r.method} ${r.path}`));
    expect([...asked].sort()).toEqual(['GET /orgs/acme/invitations', 'GET /orgs/acme/members']);

    const json = await orchest('batch', 'apply', 'rows.csv', '--dry-run', '--json');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as {
      dryRun: boolean;
      changes: number;
      rows: Array<{ row: number; would: string; now: { state: string } }>;
    };
    expect(out.dryRun).toBe(true);
    expect(out.changes).toBe(4);
    expect(out.rows.map((r) => `${r.row} ${r.would}`)).toEqual([
      '2 add',
      '3 change-role',
      '4 already-member',
      '5 already-invited',
      '6 remove',
      '7 cancel-invitation',
      '8 not-member',
      '9 check',
    ]);
    expect(writes()).toEqual([]);
  });
});
