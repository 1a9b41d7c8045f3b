// One starting point on all four services, and the roster the plan/apply tests hold against it.
// Each person's line says where they stand now and what the roster asks, so the expected plan
// is read off this file, not off a run.
import {
  addDriveReaders,
  addGitHubInvitation,
  addGitHubMembers,
  addGitHubUsers,
  addSlackUsers,
  addTrelloAccounts,
  addTrelloInvitation,
  addTrelloMembers,
  DRIVE_OWNER,
  type Emulators,
  INSTANCES,
  identitiesOf,
} from './emulators.js';

const { github: GH, slack: SL, trello: TR, gdrive: GD } = INSTANCES;

/**
 * Now, per service (olive owns every one of them):
 * - GitHub acme: olive admin, ada member, bob member, carol admin, dave member; invitations to
 *   erin and frank (by login) and stranger@elsewhere.test (by e-mail); hana has an account only.
 * - Slack: olive (primary owner), Ada@Example.com and mona members; erin and zoe invited;
 *   grace deactivated.
 * - Trello acme: olive admin, ada admin, carol and grace normal; erin@ and margaret@ invited by
 *   e-mail; bob has an account only.
 * - Drive folder: owner@example.com (olive's Google account) owner; ada and grace readers.
 */
export function seedScenario(emulators: Emulators): void {
  const { github, slack, trello, gdrive } = emulators;
  const identities = identitiesOf(emulators);
  addGitHubMembers(github.state, ['ada', 'bob', 'dave'], 'member');
  addGitHubMembers(github.state, ['carol'], 'admin');
  addGitHubInvitation(github.state, { login: 'erin' });
  addGitHubInvitation(github.state, { login: 'frank' });
  addGitHubInvitation(github.state, { email: 'stranger@elsewhere.test' });
  addGitHubUsers(github.state, ['hana']);

  addSlackUsers(slack.state, ['Ada@Example.com', 'mona@example.com']);
  addSlackUsers(slack.state, ['erin@example.com', 'zoe@example.com'], { invited: true });
  addSlackUsers(slack.state, ['grace@example.com'], { deleted: true });

  addTrelloMembers(trello.state, ['ada'], 'admin');
  addTrelloMembers(trello.state, ['carol', 'grace'], 'normal');
  // Both invited by orchester earlier, so it knows which members the e-mails became.
  addTrelloInvitation(trello.state, 'erin@example.com', identities);
  addTrelloInvitation(trello.state, 'margaret@example.com', identities);
  addTrelloAccounts(trello.state, ['bob']);

  addDriveReaders(gdrive.state, ['ada@example.com', 'grace@example.com']);
}

/** Every instance fully managed; the guards are tested elsewhere, so they are opened here. */
export const scenarioRoster = {
  instances: Object.fromEntries(
    [GH, SL, TR, GD].map((name) => [name, { prune: true, maxRemovalRatio: 1 }]),
  ),
  people: [
    {
      name: 'Olive Owner',
      email: 'olive@example.com',
      identities: { github: 'olive', trello: 'olive', gdrive: DRIVE_OWNER },
      // Drive's owner and Slack's primary owner are roles orchester cannot give or take.
      access: { [GH]: 'admin', [SL]: null, [TR]: 'admin', [GD]: 'writer' },
    },
    {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      identities: { github: 'ada', trello: 'ada' },
      access: { [GH]: 'member', [SL]: null, [TR]: 'normal', [GD]: 'writer' },
    },
    {
      name: 'Bob Barker',
      email: 'bob@example.com',
      identities: { github: 'bob', trello: 'bob' },
      access: { [GH]: 'admin', [TR]: 'normal', [GD]: 'reader' },
    },
    {
      name: 'Carol Chen',
      email: 'carol@example.com',
      identities: { github: 'carol', trello: 'carol' },
      // Not assigned on Trello, where she is a member: with prune she goes, named.
      access: { [GH]: 'member', [SL]: null },
    },
    {
      name: 'Erin Eady',
      email: 'erin@example.com',
      identities: { github: 'erin' },
      access: { [GH]: 'member', [SL]: null, [TR]: 'normal' },
    },
    {
      name: 'Hana Hill',
      email: 'hana@example.com',
      identities: { github: 'hana' },
      access: { [GH]: 'member', [SL]: null, [TR]: 'normal', [GD]: 'reader' },
    },
  ],
};

/** What the plan must say, per instance: `kind identifier [fromRole→toRole] (person)`. */
export const expectedChanges: Record<string, string[]> = {
  [GH]: [
    'change-role bob member→admin (Bob Barker)',
    'change-role carol admin→member (Carol Chen)',
    'add hana →member (Hana Hill)',
    'remove dave member→',
    'cancel-invitation frank member→',
    'cancel-invitation stranger@elsewhere.test member→',
  ],
  [SL]: [
    'add carol@example.com →member (Carol Chen)',
    'add hana@example.com →member (Hana Hill)',
    'remove mona@example.com member→',
    'cancel-invitation zoe@example.com member→',
  ],
  [TR]: [
    'change-role ada admin→normal (Ada Lovelace)',
    'add bob →normal (Bob Barker)',
    'add hana@example.com →normal (Hana Hill)',
    'remove carol normal→ (Carol Chen)',
    'remove grace normal→',
    'cancel-invitation margaret@example.com normal→',
  ],
  [GD]: [
    'change-role ada@example.com reader→writer (Ada Lovelace)',
    'add bob@example.com →reader (Bob Barker)',
    'add hana@example.com →reader (Hana Hill)',
    'remove grace@example.com reader→',
  ],
};

/** Roster people the services already have right: in place, or invited and waiting. */
export const expectedKept: Record<string, string[]> = {
  [GH]: ['in-place olive', 'in-place ada', 'pending erin'],
  [SL]: ['in-place olive@example.com', 'in-place ada@example.com', 'pending erin@example.com'],
  [TR]: ['in-place olive', 'pending erin@example.com'],
  [GD]: [`in-place ${DRIVE_OWNER}`],
};

/** Current counts of each snapshot, from the seed above. */
export const expectedCurrent: Record<
  string,
  { members: number; invited: number; admins: number | undefined; adminsAfter: number | undefined }
> = {
  [GH]: { members: 5, invited: 3, admins: 2, adminsAfter: 2 },
  [SL]: { members: 3, invited: 2, admins: undefined, adminsAfter: undefined },
  [TR]: { members: 4, invited: 2, admins: 2, adminsAfter: 1 },
  [GD]: { members: 3, invited: 0, admins: undefined, adminsAfter: undefined },
};

/** The outcome each change's job must answer. */
export const expectedOutcomes: Record<string, string> = {
  'change-role': 'role-changed',
  remove: 'removed',
  'cancel-invitation': 'invitation-cancelled',
};
