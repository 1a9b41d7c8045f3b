// `orchest members`, `orchest who` and `orchest roster export` as a person runs them (the built
// CLI in its own process) against the four emulators with the real SDKs. Each test seeds the
// services, derives what the commands must say from that seed, and reads the emulators' request
// logs to show that listing costs what `plan` costs.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { githubTime } from '@orchester/connector-github/sandbox';
import { parseStructuredText } from '@orchester/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli } from '../../apps/cli/test/run-cli.js';
import {
  addDriveReaders,
  addGitHubInvitation,
  addGitHubMembers,
  addSlackUsers,
  addTrelloMembers,
  closeEmulators,
  connectorsConfig,
  driveFolder,
  type Emulators,
  INSTANCES,
  slackUser,
  startEmulators,
} from './emulators.js';

const { github: GH, slack: SL, trello: TR, gdrive: GD } = INSTANCES;
const DAY_MS = 86_400_000;

function hasScript(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let emulators: Emulators;
let dir: string;

function writeConfig(): void {
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({
      actor: 'ops',
      audit: { path: 'audit.jsonl' },
      connectors: connectorsConfig(emulators),
    }),
    { mode: 0o600 },
  );
}

/** Runs `orchest` with a command line of words (no word holds a space). */
const orchest = (line: string) => runCli(line.trim().split(/\s+/), { cwd: dir });

/** How many requests each emulator saw since the last clear. */
function requestCounts(): Record<string, number> {
  return Object.fromEntries(Object.entries(emulators).map(([n, e]) => [n, e.requests.length]));
}
function clearRequests(): void {
  for (const e of Object.values(emulators)) e.clearRequests();
}

/**
 * Bob: GitHub member (admin) by login, invited to Slack, Trello member by username, Drive writer.
 * Cy: Slack and Drive by e-mail only. A GitHub e-mail invitation three days old. The `empty`
 * seeds' owners (olive on GitHub, Slack and Trello; owner@example.com on Drive) are there too.
 */
function seedBobAndCy(): void {
  addGitHubMembers(emulators.github.state, ['bob'], 'admin');
  addGitHubInvitation(emulators.github.state, { email: 'newbie@example.com' });
  Object.assign(emulators.github.state.orgs.acme!.invitations.at(-1)!, {
    createdAt: githubTime(Date.now() - 3 * DAY_MS - 60_000),
  });
  addSlackUsers(emulators.slack.state, ['bob@example.com'], { invited: true });
  addSlackUsers(emulators.slack.state, ['cy@example.com']);
  addTrelloMembers(emulators.trello.state, ['bob', 'dee']);
  // Trello keeps a deactivated member in the workspace, as such.
  emulators.trello.state.organizations[0]!.memberships.at(-1)!.deactivated = true;
  addDriveReaders(emulators.gdrive.state, ['bob@example.com'], 'writer');
  addDriveReaders(emulators.gdrive.state, ['cy@example.com']);
}

beforeEach(async () => {
  emulators = await startEmulators();
  dir = mkdtempSync(join(tmpdir(), 'orch-access-'));
  writeConfig();
  seedBobAndCy();
});

afterEach(async () => {
  await closeEmulators(emulators);
});

interface MembersJson {
  instances: Array<{
    instance: string;
    listed: boolean;
    counts: Record<string, number>;
    members: Array<{
      identifier: string;
      name?: string;
      state: string;
      role?: string;
      since?: string;
      invitationAgeDays?: number;
      person?: { name: string };
    }>;
  }>;
}

const parse = (text: string) => parseStructuredText(text, 'team.yaml', 'roster');

describe('orchest members', () => {
  it('lists every member and invitation of every instance, with roles and the age of an invitation', async () => {
    const result = await orchest('members --json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const json = JSON.parse(result.stdout) as MembersJson;
    const byInstance = Object.fromEntries(
      json.instances.map((i) => [
        i.instance,
        i.members.map((m) => `${m.identifier} ${m.state} ${m.role ?? '-'}`),
      ]),
    );
    expect(byInstance).toEqual({
      [GD]: [
        'bob@example.com member writer',
        'cy@example.com member reader',
        'owner@example.com member owner',
      ],
      [GH]: ['bob member admin', 'newbie@example.com invited member', 'olive member admin'],
      [SL]: [
        'bob@example.com invited member',
        'cy@example.com member member',
        'olive@example.com member owner',
      ],
      [TR]: ['bob member normal', 'dee deactivated normal', 'olive member admin'],
    });
    expect(json.instances.find((i) => i.instance === TR)!.counts).toEqual({
      members: 2,
      invited: 0,
      deactivated: 1,
    });
    const newbie = json.instances
      .find((i) => i.instance === GH)!
      .members.find((m) => m.identifier === 'newbie@example.com')!;
    expect(newbie.since).toBe(emulators.github.state.orgs.acme!.invitations.at(-1)!.createdAt);
    expect(newbie.invitationAgeDays).toBe(3);
    // The name each service shows for Bob: Slack's real name, Trello's full name, Drive's display
    // name; GitHub lists none.
    const bobOn = (instance: string) =>
      json.instances
        .find((i) => i.instance === instance)!
        .members.find((m) => m.identifier.startsWith('bob'))?.name;
    const slackName = slackUser(emulators.slack.state, 'bob@example.com')?.realName;
    const trelloName = emulators.trello.state.accounts.find((a) => a.username === 'bob')?.fullName;
    const driveName = driveFolder(emulators.gdrive.state).permissions.find(
      (p) => p.emailAddress === 'bob@example.com',
    )?.displayName;
    expect([slackName, trelloName, driveName].every(Boolean)).toBe(true);
    expect([bobOn(SL), bobOn(TR), bobOn(GD), bobOn(GH)]).toEqual([
      slackName,
      trelloName,
      driveName,
      undefined,
    ]);
    expect(json.instances.find((i) => i.instance === GH)!.counts).toEqual({
      members: 2,
      invited: 1,
      deactivated: 0,
    });
  });

  it('-c reads one instance; the table names roster people; --csv guards formulas', async () => {
    writeFileSync(
      join(dir, 'team.yaml'),
      `people:\n  - { name: "=HYPERLINK(1)", email: bob@example.com, identities: { github: bob }, access: [${GH}: admin] }\n`,
    );
    clearRequests();
    const table = await orchest(`-c ${GH} members --roster team.yaml`);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(requestCounts()).toMatchObject({ slack: 0, trello: 0, gdrive: 0 });
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${GH} (github): 2 members, 1 pending invitation`);
    expect(lines[1]!.trim().split(/\s+/)).toEqual([
      'IDENTIFIER',
      'PERSON',
      'STATE',
      'ROLE',
      'SINCE',
    ]);
    expect(lines[2]!.trim().split(/\s+/)).toEqual(['bob', '=HYPERLINK(1)', 'member', 'admin', '-']);
    expect(lines[3]).toContain('invited 3 days ago');

    const csv = await orchest(`-c ${GH} members --roster team.yaml --csv`);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe(
      'instance,type,identifier,name,person,email,state,role,since,invitation_age_days',
    );
    // GitHub lists no names: that column stays empty there.
    expect(rows[1]).toBe(`${GH},github,bob,,'=HYPERLINK(1),bob@example.com,member,admin,,`);
    expect(rows[2]).toMatch(
      new RegExp(`^${GH},github,newbie@example.com,,,newbie@example.com,invited,member,[^,]+,3$`),
    );
  });

  it.skipIf(!hasScript())(
    'on a terminal (a pseudo-terminal from script(1)) stderr counts what was read of each instance',
    async () => {
      addGitHubMembers(
        emulators.github.state,
        Array.from({ length: 250 }, (_, i) => `m${i}`),
      );
      const { stdout } = await promisify(execFile)(
        'script',
        ['-qec', `"${process.execPath}" "${CLI_BIN}" -c ${GH} members`, '/dev/null'],
        { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } },
      );
      // bob, olive, the 250 and the invitation: three pages of members, one of invitations.
      expect(stdout).toContain(`orchest: reading members: ${GH} 253`);
      expect(stdout).toContain(`${GH} (github): 252 members, 1 pending invitation`);
    },
  );

  it('rides out 429s on all four services as plan does: the same members, each wait announced', async () => {
    const clean = await orchest('members --json');
    // Seeds of the emulators' fault dice from plan-faults: the first two requests of each
    // service are rate-limited, the next twelve are not.
    const seeds = { github: 1653, slack: 1851, trello: 2867, gdrive: 3429 };
    for (const [type, seed] of Object.entries(seeds)) {
      emulators[type as keyof Emulators].setFaults(`429=0.3,retry-after=1,seed=${seed}`);
    }
    clearRequests();
    const result = await orchest('members --json');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(clean.stdout);
    const all: Array<{ requests: ReadonlyArray<{ fault?: string }> }> = Object.values(emulators);
    for (const e of all) expect(e.requests.filter((r) => r.fault === '429')).toHaveLength(2);
    for (const name of Object.values(INSTANCES)) {
      expect(result.stderr).toMatch(
        new RegExp(`^orchest: ${name}: reading members: .*waiting .*1 s`, 'm'),
      );
    }
  });

  it('refuses --json with --csv and an unknown instance before reading anything', async () => {
    clearRequests();
    expect(await orchest('members --json --csv')).toMatchObject({ code: 2 });
    const unknown = await orchest('-c nosuch members');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no instance "nosuch" is configured');
    expect(Object.values(requestCounts()).every((n) => n === 0)).toBe(true);
  });
});

interface WhoJson {
  access: string;
  instances: Array<{ instance: string; access: string; state: string; role?: string }>;
}

describe('orchest who', () => {
  it('says where a person has access, exit 1; after offboard, nowhere, exit 0; offboard prints the same table', async () => {
    const before = await orchest('who bob@example.com --github bob --trello bob --json');
    expect(before.code).toBe(1);
    const json = JSON.parse(before.stdout) as WhoJson;
    expect(json.access).toBe('some');
    expect(
      json.instances.map((i) => `${i.instance} ${i.access} ${i.state} ${i.role ?? '-'}`),
    ).toEqual([
      `${GD} remains member writer`,
      `${GH} remains member admin`,
      `${SL} remains invited member`,
      `${TR} remains member normal`,
    ]);

    const table = await orchest('who bob@example.com --github bob --trello bob');
    expect(table.code).toBe(1);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s+/)).toEqual([
      'INSTANCE',
      'ACCESS',
      'STATE',
      'ROLE',
      'IDENTIFIER',
      'NOTE',
    ]);
    expect(lines[2]!.split(/\s+/)).toEqual([GH, 'yes', 'member', 'admin', 'bob']);
    expect(lines.at(-1)).toBe(`bob@example.com: has access on ${GD}, ${GH}, ${SL}, ${TR}`);

    const off = await orchest('offboard bob@example.com --github bob --trello bob');
    expect(off.code).toBe(0);
    const offLines = off.stdout.trimEnd().split('\n');
    const head = offLines.findIndex((l) => l.startsWith('INSTANCE'));
    expect(head).toBeGreaterThan(0);
    // Bob had only been invited to Slack: cancelling the invitation leaves no account there.
    expect(offLines.slice(head + 1, head + 5).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      [GD, 'no', 'absent'],
      [GH, 'no', 'absent'],
      [SL, 'no', 'absent'],
      [TR, 'no', 'absent'],
    ]);
    expect(offLines.at(-1)).toMatch(/^verified: no access on /);

    const after = await orchest('who bob@example.com --github bob --trello bob');
    expect(after.code).toBe(0);
    expect(after.stdout.trimEnd().split('\n').at(-1)).toBe(
      'bob@example.com: no access on any instance checked',
    );
    // who changes nothing: the audit trail holds offboard's removals only.
    const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n');
    expect(audit.every((l) => (JSON.parse(l) as { action: string }).action === 'remove')).toBe(
      true,
    );
  });

  it('a Slack member offboarded stays as a deactivated account, which who counts as no access', async () => {
    const off = await orchest(`offboard cy@example.com --instances ${SL},${GD}`);
    expect(off.code).toBe(0);
    const after = await orchest(`who cy@example.com --instances ${SL},${GD} --json`);
    expect(after.code).toBe(0);
    const json = JSON.parse(after.stdout) as WhoJson;
    expect(json.access).toBe('none');
    expect(json.instances.map((i) => `${i.instance} ${i.access} ${i.state}`)).toEqual([
      `${GD} none absent`,
      `${SL} none deactivated`,
    ]);
  });

  it('takes the identities from a roster, and a GitHub check by e-mail alone cannot prove no access (exit 3)', async () => {
    writeFileSync(
      join(dir, 'team.yaml'),
      `people:\n  - { name: Bob, email: bob@example.com, identities: { github: bob, trello: bob }, access: [${GH}] }\n`,
    );
    const roster = await orchest('who Bob --roster team.yaml --json');
    expect(roster.code).toBe(1);
    expect((JSON.parse(roster.stdout) as WhoJson).instances.map((i) => i.access)).toEqual([
      'remains',
      'remains',
      'remains',
      'remains',
    ]);

    const byEmail = await orchest(`who cy@example.com --instances ${GH}`);
    expect(byEmail.code).toBe(3);
    expect(byEmail.stdout).toContain('the service shows only part');
  });

  it('validates identities as offboard does: a malformed login is exit 2 and nothing is sent', async () => {
    clearRequests();
    const result = await orchest(`who bob@example.com --github bob_ --identity nope=x`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('who: 2 problems; nothing was sent');
    expect(result.stderr).toContain('identity "github": "bob_" is not a GitHub login');
    expect(result.stderr).toContain('identity "nope": neither a configured instance');
    expect(Object.values(requestCounts()).every((n) => n === 0)).toBe(true);
    expect(slackUser(emulators.slack.state, 'bob@example.com')?.deleted).toBeFalsy();
  });
});

interface PlanJson {
  summary: { changes: number };
  instances: Array<{ instance: string; changes: unknown[]; current: { members: number } }>;
}

describe('orchest roster export', () => {
  it('writes a roster that plan finds nothing to change in, on all four services, for the calls plan makes', async () => {
    // Two Trello accounts and a Slack admin: roles orchester cannot give stay as they are.
    addTrelloMembers(emulators.trello.state, ['zed'], 'admin');
    clearRequests();
    const exported = await orchest('roster export --out team.yaml');
    expect(exported.code).toBe(0);
    const exportCalls = requestCounts();
    const roster = parse(readFileSync(join(dir, 'team.yaml'), 'utf8')) as {
      instances: Record<string, { prune: boolean }>;
      groups?: unknown;
      people: Array<{
        name: string;
        email: string;
        identities?: Record<string, string>;
        access: Record<string, string | null>;
      }>;
    };
    expect(roster.instances).toEqual({
      [GD]: { prune: false },
      [GH]: { prune: false },
      [SL]: { prune: false },
      [TR]: { prune: false },
    });
    expect(roster.groups).toBeUndefined();
    // Bob by e-mail (Slack and Drive show it); his GitHub login and Trello username are other
    // accounts as far as the services tell: each gets a stand-in e-mail to replace.
    const bob = roster.people.find((p) => p.email === 'bob@example.com');
    // Named as the first service that shows a name (Drive's display name, read first) says.
    const shown = driveFolder(emulators.gdrive.state).permissions.find(
      (p) => p.emailAddress === 'bob@example.com',
    )?.displayName;
    expect(shown).toBeTruthy();
    expect(bob).toEqual({
      name: shown,
      email: 'bob@example.com',
      access: { [GD]: 'writer', [SL]: 'member' },
    });
    const login = roster.people.find((p) => p.email === `bob@${GH}.invalid`);
    expect(login).toMatchObject({
      email: `bob@${GH}.invalid`,
      identities: { github: 'bob' },
      access: { [GH]: 'admin' },
    });
    // GitHub shows no name: the login stands in, made unique beside Bob's.
    expect(login?.name).toMatch(/^bob/);
    expect(login?.name.toLowerCase()).not.toBe(shown?.toLowerCase());
    expect(roster.people.find((p) => p.identities?.trello === 'zed')?.access).toEqual({
      [TR]: 'admin',
    });
    // Slack's primary owner and Drive's owner hold roles orchester cannot give: no role written.
    expect(roster.people.find((p) => p.email === 'olive@example.com')?.access).toEqual({
      [SL]: null,
    });
    expect(readFileSync(join(dir, 'team.yaml'), 'utf8')).toContain(
      `email: bob@${GH}.invalid # e-mail unknown`,
    );

    clearRequests();
    const plan = await orchest('plan team.yaml --json');
    expect(plan.code).toBe(0);
    const p = JSON.parse(plan.stdout) as PlanJson;
    expect(p.summary.changes).toBe(0);
    expect(p.instances.map((i) => i.instance)).toEqual([GD, GH, SL, TR]);
    // The same snapshot code: export read each service with exactly the requests plan made.
    expect(exportCalls).toEqual(requestCounts());
    expect((await orchest('plan team.yaml')).stdout).toContain('No changes.');
  });

  it('-c exports one instance, --json as a JSON roster that plan reads', async () => {
    clearRequests();
    const result = await orchest(`-c ${SL} roster export --json`);
    expect(result.code).toBe(0);
    expect(requestCounts()).toMatchObject({ github: 0, trello: 0, gdrive: 0 });
    const roster = JSON.parse(result.stdout) as {
      instances: Record<string, unknown>;
      people: Array<{ email: string; access: Record<string, unknown> }>;
    };
    expect(Object.keys(roster.instances)).toEqual([SL]);
    expect(roster.people.map((p) => p.email).sort()).toEqual([
      'bob@example.com',
      'cy@example.com',
      'olive@example.com',
    ]);
    writeFileSync(join(dir, 'slack.json'), result.stdout);
    const plan = await orchest('plan slack.json --json');
    expect(plan.code).toBe(0);
    expect((JSON.parse(plan.stdout) as PlanJson).summary.changes).toBe(0);
  });

  it("--merge keeps the roster's comments, groups and people, adds what the services have, and plan then finds nothing", async () => {
    const original = [
      '# Our team. Edit by hand; orchest roster export --merge keeps this.',
      'groups:',
      `  eng: [${GH}: admin] # everyone in engineering`,
      'people:',
      '  # Bob leads.',
      `  - { name: Bob, email: bob@example.com, identities: { github: bob, trello: bob }, groups: [eng] }`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'team.yaml'), original);
    const merged = await orchest('roster export --merge team.yaml --out team.yaml');
    expect(merged.code).toBe(0);
    expect(merged.stderr).toContain('merged into team.yaml:');
    const text = readFileSync(join(dir, 'team.yaml'), 'utf8');
    expect(text).toContain('# Our team. Edit by hand; orchest roster export --merge keeps this.');
    expect(text).toContain('# everyone in engineering');
    expect(text).toContain('# Bob leads.');
    const roster = parse(text) as {
      groups: Record<string, unknown>;
      people: Array<{ name: string; email: string; groups?: string[]; access?: unknown }>;
    };
    expect(roster.groups).toEqual({ eng: [{ [GH]: 'admin' }] });
    // Bob stays one person, in his group, with the access the services give him besides.
    expect(roster.people[0]).toMatchObject({ name: 'Bob', groups: ['eng'] });
    expect(roster.people[0]!.access).toEqual({ [GD]: 'writer', [SL]: 'member', [TR]: 'normal' });
    expect(roster.people.filter((p) => p.email === 'bob@example.com')).toHaveLength(1);
    expect(roster.people.map((p) => p.email)).toContain('cy@example.com');

    const plan = await orchest('plan team.yaml --json');
    expect(plan.code).toBe(0);
    expect((JSON.parse(plan.stdout) as PlanJson).summary.changes).toBe(0);
  });
});
