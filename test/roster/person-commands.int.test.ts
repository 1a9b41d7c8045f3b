// `orchest onboard` and `orchest offboard` as a person runs them (the built CLI in its own
// process) against the four emulators: every identity, instance and role is checked before
// anything is sent, and offboard checks afterwards that no access is left.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriveState } from '@orchester/connector-gdrive/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../apps/cli/test/run-cli.js';
import {
  acmeInvitations,
  addDriveReaders,
  addGitHubInvitation,
  addGitHubMembers,
  addGitHubUsers,
  addSlackUsers,
  addTrelloMembers,
  closeEmulators,
  connectorsConfig,
  DRIVE_OWNER,
  drivePeople,
  type Emulators,
  INSTANCES,
  slackUser,
  startEmulators,
  trelloPeople,
} from './emulators.js';

const { github: GH, slack: SL, trello: TR, gdrive: GD } = INSTANCES;

let emulators: Emulators;
let dir: string;

/** The config a person would write: one instance per emulator, under the roster tests' names. */
function writeConfig(drive: Record<string, unknown> = {}): void {
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({
      actor: 'ops',
      audit: { path: 'audit.jsonl' },
      connectors: connectorsConfig(emulators, { gdrive: drive }),
    }),
    { mode: 0o600 },
  );
}

/** Runs `orchest` with a command line of words (no word holds a space). */
const orchest = (line: string) => runCli(line.trim().split(/\s+/), { cwd: dir });

/** Every request any emulator saw, as `emulator METHOD path`. */
function requestsSent(): string[] {
  const all: Array<[string, { requests: ReadonlyArray<{ method: string; path: string }> }]> =
    Object.entries(emulators);
  return all.flatMap(([name, e]) => e.requests.map((r) => `${name} ${r.method} ${r.path}`));
}

const acme = () => emulators.github.state.orgs.acme!;

beforeEach(async () => {
  emulators = await startEmulators();
  dir = mkdtempSync(join(tmpdir(), 'orch-person-'));
  writeConfig();
});

afterEach(async () => {
  await closeEmulators(emulators);
});

describe('onboard and offboard refuse what they cannot carry out as asked', () => {
  it('offboard with a malformed --github exits 2 and sends nothing, instead of removing the e-mail', async () => {
    addGitHubMembers(emulators.github.state, ['bob']);
    const result = await orchest(`offboard bob@example.com --github bob_ --instances ${GH}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('identity "github": "bob_" is not a GitHub login');
    expect(result.stdout).toBe('');
    expect(requestsSent()).toEqual([]);
    expect(acme().members.bob).toBe('member');
  });

  it('onboard with a malformed --github exits 2 and invites nobody, not even the e-mail', async () => {
    const result = await orchest(`onboard bob@example.com --github ../x --instances ${GH}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('identity "github": "../x" is not a GitHub login');
    expect(requestsSent()).toEqual([]);
    expect(acmeInvitations(emulators.github.state)).toEqual([]);
  });

  it('an identity for no instance or type (--identity nope=x) is refused, not ignored', async () => {
    addGitHubMembers(emulators.github.state, ['bob']);
    addSlackUsers(emulators.slack.state, ['bob@example.com']);
    const result = await orchest('offboard bob@example.com --identity nope=x');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `identity "nope": neither a configured instance nor a connector type in use (gdrive, ${GD}, github, ${GH}, slack, ${SL}, trello, ${TR})`,
    );
    expect(requestsSent()).toEqual([]);
    expect(acme().members.bob).toBe('member');
    expect(slackUser(emulators.slack.state, 'bob@example.com')?.deleted).toBeFalsy();
  });

  it('lists every problem at once: unknown instance, unknown identity key, an identity for an instance not targeted, a bad login', async () => {
    const result = await orchest(
      `offboard bob@example.com --github bob_ --identity nope=x --identity ${TR}=bob --instances ${GH},nosuch`,
    );
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe('orchest: offboard: 4 problems; nothing was sent:');
    // Instances first, then identity keys, then what each target's connector refused.
    expect(lines.slice(1)).toEqual([
      `  - instance "nosuch": not configured (configured: ${GD}, ${GH}, ${SL}, ${TR})`,
      `  - identity "nope": neither a configured instance nor a connector type in use (gdrive, ${GD}, github, ${GH}, slack, ${SL}, trello, ${TR})`,
      `  - identity "${TR}": no target instance has this name or type (targets: ${GH})`,
      expect.stringContaining('  - identity "github": "bob_" is not a GitHub login'),
    ]);
    expect(requestsSent()).toEqual([]);
  });

  it('offboard --role is refused: a removal has no role', async () => {
    addGitHubMembers(emulators.github.state, ['bob']);
    const result = await orchest('offboard bob@example.com --github bob --role admin');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("offboard: Unknown option '--role'; it is a flag of onboard");
    expect(requestsSent()).toEqual([]);
    expect(acme().members.bob).toBe('member');
  });

  it('onboard --role admin across GitHub and Drive is refused before GitHub makes anyone an owner', async () => {
    addGitHubUsers(emulators.github.state, ['newbie']);
    const result = await orchest(
      `onboard newbie@example.com --github newbie --role admin --instances ${GH},${GD}`,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${GD}: "admin" is not a Google Drive role`);
    expect(result.stderr).toContain('(roles: reader, commenter, writer, fileOrganizer, organizer)');
    expect(requestsSent()).toEqual([]);
    expect(acme().members).toEqual({ olive: 'admin' });
    expect(acmeInvitations(emulators.github.state)).toEqual([]);
  });

  it('a role keyed to an instance that is not targeted, or given twice, is refused', async () => {
    const notTargeted = await orchest(
      `onboard newbie@example.com --role slack=member --instances ${GD}`,
    );
    expect(notTargeted.code).toBe(2);
    expect(notTargeted.stderr).toContain(
      `role "slack": no target instance has this name or type (targets: ${GD})`,
    );
    const twice = await orchest(
      `onboard newbie@example.com --role gdrive=reader --role gdrive=writer --instances ${GD}`,
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('role "gdrive": given twice ("reader", "writer")');
    expect(requestsSent()).toEqual([]);
  });
});

describe('onboard with a role per instance', () => {
  it('a bare --role goes to every target, --role TYPE=ROLE or INSTANCE=ROLE overrides it there', async () => {
    addGitHubUsers(emulators.github.state, ['newbie']);
    const result = await orchest(
      `onboard newbie@example.com --github newbie --role admin --role gdrive=writer --instances ${GH},${TR},${GD}`,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(acme().invitations.map((i) => `${i.login} ${i.role}`)).toEqual(['newbie admin']);
    const invited = emulators.trello.state.accounts.find((a) => a.email === 'newbie@example.com');
    const membership = emulators.trello.state.organizations[0]!.memberships.find(
      (m) => m.idMember === invited?.id,
    );
    expect(membership).toMatchObject({ memberType: 'admin', unconfirmed: true });
    expect(drivePeople(emulators.gdrive.state)['newbie@example.com']).toBe('writer');
  });

  it('--help lists the roles each installed connector takes, without reading config', async () => {
    writeFileSync(join(dir, '.orchester.json'), '{ "connectors": ');
    const result = await orchest('onboard --help');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.split('\n');
    const start = lines.indexOf('Roles by connector (--role):');
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1, start + 5)).toEqual([
      '  gdrive  reader, commenter, writer, fileOrganizer, organizer',
      '  github  member, admin',
      '  slack   member',
      '  trello  normal, admin',
    ]);
    expect(requestsSent()).toEqual([]);
  });
});

describe('offboard verifies that no access is left', () => {
  it('checks every identifier on every instance after the removals and says so, deactivated included', async () => {
    addGitHubMembers(emulators.github.state, ['bob']);
    addSlackUsers(emulators.slack.state, ['bob@example.com']);
    addTrelloMembers(emulators.trello.state, ['bob']);
    addDriveReaders(emulators.gdrive.state, ['bob@example.com']);

    const result = await orchest('offboard bob@example.com --github bob --trello bob');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    // Trello hides e-mails and orchester never invited bob@ there: the username does the removal.
    expect(lines[0]).toBe(
      `bob@example.com: not removed by e-mail from ${TR}: the service hides e-mail addresses and orchester never invited this one there; the other identifier removes the account`,
    );
    expect(lines.at(-1)).toBe(
      `verified: no access on ${GD}, ${GH}, ${SL} (bob@example.com: deactivated, which is no access), ${TR}`,
    );
    expect(acme().members.bob).toBeUndefined();
    expect(slackUser(emulators.slack.state, 'bob@example.com')?.deleted).toBe(true);
    expect(trelloPeople(emulators.trello.state).bob).toBeUndefined();
    expect(drivePeople(emulators.gdrive.state)['bob@example.com']).toBeUndefined();

    // The checks went to the services after the removals: one per identifier and instance.
    const checks = emulators.github.requests.filter(
      (r) => r.method === 'GET' && r.path === '/orgs/acme/memberships/bob',
    );
    expect(checks.map((r) => r.status)).toEqual([200, 404]);
  });

  it('--json carries the verification beside the report', async () => {
    addGitHubMembers(emulators.github.state, ['bob']);
    const result = await orchest(`offboard bob@example.com --github bob --instances ${GH} --json`);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as {
      totals: { jobs: number };
      verification: {
        verified: boolean;
        instances: Array<{
          instance: string;
          access: string;
          checks: Array<{ identifier: string; state?: string }>;
        }>;
      };
    };
    expect(out.totals.jobs).toBe(2);
    expect(out.verification.verified).toBe(true);
    expect(out.verification.instances).toEqual([
      {
        instance: GH,
        access: 'none',
        checks: [
          { identifier: 'bob', state: 'absent' },
          {
            identifier: 'bob@example.com',
            state: 'absent',
            detail: 'no pending invitation for this e-mail (GitHub lists members by login only)',
            partial: true,
          },
        ],
      },
    ]);
  });

  it('from a roster, names the instance where access remains and exits 3', async () => {
    // Ken is a GitHub member, and a writer of a shared drive, so of every folder in it: Drive
    // refuses to take inherited access away on the folder the instance manages.
    addGitHubMembers(emulators.github.state, ['ken']);
    seedSharedDrive(emulators.gdrive.state, 'ken@example.com');
    writeConfig({ file_id: 'folder-in-drive' });
    writeFileSync(
      join(dir, 'team.yaml'),
      [
        'people:',
        `  - { name: Ken Kay, email: ken@example.com, identities: { github: ken }, access: [${GH}, ${GD}] }`,
        '',
      ].join('\n'),
    );
    const result = await runCli(['offboard', 'Ken Kay', '--roster', 'team.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    const lines = result.stdout.trim().split('\n');
    expect(lines.slice(-2)).toEqual([
      `verified: no access on ${GH}`,
      `access remains: ${GD} (ken@example.com: member, role writer, through shared drive drive-eng)`,
    ]);
    expect(acme().members.ken).toBeUndefined();
  });

  it('an e-mail GitHub cannot match to a member is not taken for "no access"', async () => {
    // Erin was invited by login: GitHub shows that invitation under the login, not the e-mail.
    addGitHubInvitation(emulators.github.state, { login: 'erin' });
    const result = await orchest(`offboard erin@example.com --instances ${GH}`);
    expect(result.code).toBe(3);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(
      `could not verify: ${GH} (erin@example.com: not found, but the service shows only part: no pending invitation for this e-mail (GitHub lists members by login only))`,
    );
    expect(acmeInvitations(emulators.github.state)).toEqual(['erin']);
    // Given the login, the same offboarding cancels the invitation and can say so.
    const again = await orchest(`offboard erin@example.com --github erin --instances ${GH}`);
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n').at(-1)).toBe(`verified: no access on ${GH}`);
    expect(acmeInvitations(emulators.github.state)).toEqual([]);
  });

  it('a check that cannot be made is not taken for "no access": exit 3, naming the instance', async () => {
    addGitHubMembers(emulators.github.state, ['bob']);
    // The token now belongs to someone outside the organization: GitHub shows them no membership.
    const token = Object.keys(emulators.github.state.tokens)[0]!;
    addGitHubUsers(emulators.github.state, ['stranger']);
    emulators.github.state.tokens[token] = {
      kind: 'pat',
      login: 'stranger',
      scopes: ['admin:org'],
    };
    const result = await orchest(`offboard bob@example.com --github bob --instances ${GH}`);
    expect(result.code).toBe(3);
    const last = result.stdout.trim().split('\n').at(-1);
    expect(last).toMatch(new RegExp(`^could not verify: ${GH} \\(bob: ORCH_PERMISSION: `));
    expect(acme().members.bob).toBe('member');
  });
});

/** A shared drive `drive-eng` with `email` as a writer, and a folder in it that inherits that. */
function seedSharedDrive(state: DriveState, email: string): void {
  const member = (role: 'organizer' | 'writer', who: string) => ({
    id: `perm-${who}`,
    type: 'user' as const,
    role,
    emailAddress: who,
    displayName: who.split('@')[0]!,
  });
  state.items.set('drive-eng', {
    id: 'drive-eng',
    name: 'Engineering',
    kind: 'drive',
    permissions: [member('organizer', DRIVE_OWNER), member('writer', email)],
  });
  // The drive's members are listed on its items as inherited: the folder has none of its own.
  state.items.set('folder-in-drive', {
    id: 'folder-in-drive',
    name: 'Designs',
    kind: 'folder',
    driveId: 'drive-eng',
    permissions: [],
  });
}

describe('Trello e-mails through the CLI', () => {
  it('rm by an e-mail orchester never invited exits 2, names the way by username, and sends nothing', async () => {
    addTrelloMembers(emulators.trello.state, ['bob']);
    const result = await orchest(`rm bob@example.com -c ${TR}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `give the Trello username instead: orchest rm USERNAME -c ${TR}`,
    );
    expect(emulators.trello.requests).toEqual([]);
    expect(trelloPeople(emulators.trello.state).bob).toBe('normal');
    // offboard by e-mail alone cannot make sure either: it fails, it does not say "not a member".
    const offboard = await orchest(`offboard bob@example.com --instances ${TR}`);
    expect(offboard.code).toBe(3);
    expect(offboard.stdout).toContain(`could not verify: ${TR}`);
    expect(trelloPeople(emulators.trello.state).bob).toBe('normal');
    // With the username, the account goes, and --json names the removal left out.
    const byName = await orchest(`offboard bob@example.com --trello bob --instances ${TR} --json`);
    expect(byName.code).toBe(0);
    expect(JSON.parse(byName.stdout)).toMatchObject({
      totals: { jobs: 1, succeeded: 1 },
      verification: { verified: true },
      notRemovedByEmail: [{ instance: TR, identifier: 'bob@example.com' }],
    });
    expect(trelloPeople(emulators.trello.state).bob).toBeUndefined();
  });

  it('invites an e-mail, records its member for later commands (audit --identities), and removes it by e-mail', async () => {
    const added = await orchest(`add dana@example.com -c ${TR}`);
    expect([added.code, added.stdout.trim()]).toEqual([
      0,
      `dana@example.com: invited to ${TR} (role normal)`,
    ]);
    const ghost = emulators.trello.state.accounts.find((a) => a.email === 'dana@example.com')!;
    const listed = await orchest('audit --identities --json');
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        instance: TR,
        email: 'dana@example.com',
        id: ghost.id,
        kept: join(dir, 'identities.json'),
      },
    ]);
    const checked = await orchest(`check dana@example.com -c ${TR}`);
    expect([checked.code, checked.stdout.trim()]).toEqual([
      1,
      `dana@example.com: has a pending invitation to ${TR} (role normal)`,
    ]);
    const removed = await orchest(`rm dana@example.com -c ${TR}`);
    expect([removed.code, removed.stdout.trim()]).toEqual([
      0,
      `dana@example.com: invitation cancelled in ${TR}`,
    ]);
    expect(trelloPeople(emulators.trello.state)['dana@example.com']).toBeUndefined();
  });
});
