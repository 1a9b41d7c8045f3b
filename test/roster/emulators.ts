// The four real emulators and a registry over the four real connectors, for roster tests.
// Each seeding helper writes people straight into an emulator's state, so a test states its
// starting point in its own terms and derives what the plan must say from it.
import gdriveConnector from '@orchester/connector-gdrive';
import gdriveEmulator, {
  type DriveState,
  permissionIdFor,
  SANDBOX_OWNER,
} from '@orchester/connector-gdrive/sandbox';
import githubConnector from '@orchester/connector-github';
import githubEmulator, {
  addUser,
  type GitHubState,
  githubTime,
  SANDBOX_TOKEN,
} from '@orchester/connector-github/sandbox';
import slackConnector from '@orchester/connector-slack';
import slackEmulator, {
  SANDBOX_TEAM,
  type SlackSandboxState,
  sandboxUser,
} from '@orchester/connector-slack/sandbox';
import trelloConnector from '@orchester/connector-trello';
import trelloEmulator, {
  nextId,
  type TrelloSandboxState,
} from '@orchester/connector-trello/sandbox';
import { MemoryIdentityStore } from '@orchester/core';
import {
  type AuditLog,
  type ConnectorRegistry,
  FileIdentityStore,
  type InlineRunOptions,
  inlineSubmit,
  type PersonLookup,
  type SubmitJobs,
} from '@orchester/runtime';
import { registryFor } from '@orchester/runtime/testing';

export type GitHubEmulator = Awaited<ReturnType<typeof githubEmulator.start>>;
export type SlackEmulator = Awaited<ReturnType<typeof slackEmulator.start>>;
export type TrelloEmulator = Awaited<ReturnType<typeof trelloEmulator.start>>;
export type DriveEmulator = Awaited<ReturnType<typeof gdriveEmulator.start>>;

export interface Emulators {
  readonly github: GitHubEmulator;
  readonly slack: SlackEmulator;
  readonly trello: TrelloEmulator;
  readonly gdrive: DriveEmulator;
}

// What orchester recorded of who an e-mail is (Trello hides e-mails), per set of emulators.
const recorded = new WeakMap<TrelloEmulator, MemoryIdentityStore>();

/** The identity maps `registryOver` gives the connectors: one store per set of emulators. */
export function identitiesOf(emulators: Emulators): MemoryIdentityStore {
  let store = recorded.get(emulators.trello);
  if (!store) {
    store = new MemoryIdentityStore();
    recorded.set(emulators.trello, store);
  }
  return store;
}

/** The instance names the roster tests use, one per service. */
export const INSTANCES = {
  github: 'github-corp',
  slack: 'slack-eng',
  trello: 'trello-acme',
  gdrive: 'gdrive-eng',
} as const;

/**
 * The `connectors` block of a config that reaches every emulator under `INSTANCES`' names, each
 * entry merged with `overrides[type]`.
 */
export function connectorsConfig(
  emulators: Emulators,
  overrides: Partial<Record<keyof typeof INSTANCES, Record<string, unknown>>> = {},
): Record<string, Record<string, unknown>> {
  const types = Object.keys(INSTANCES) as Array<keyof typeof INSTANCES>;
  return Object.fromEntries(
    types.map((type) => [
      INSTANCES[type],
      {
        type,
        ...emulators[type].configBlock(),
        base_url: emulators[type].url,
        ...overrides[type],
      },
    ]),
  );
}

/**
 * Every emulator on its `empty` seed: GitHub org `acme` (owner `olive`), Slack Grid workspace
 * (primary owner olive@example.com, Slackbot and a bot), Trello workspace `acme` (admin
 * `olive`), and a Drive folder owned by owner@example.com. Rate limits are raised so that
 * several plans in one test never meet them.
 */
export async function startEmulators(): Promise<Emulators> {
  const [github, slack, trello, gdrive] = await Promise.all([
    githubEmulator.start({ seed: 'empty' }),
    slackEmulator.start({ seed: 'empty' }),
    trelloEmulator.start({ seed: 'empty' }),
    gdriveEmulator.start({ seed: 'empty' }),
  ]);
  renameGitHubOwner(github.state, 'olive');
  const slackLimits = slack.state.limits;
  Object.assign(slackLimits, { tier2: 10_000, tier3: 10_000, tier4: 10_000 });
  const owner = trello.state.accounts[0]!;
  Object.assign(owner, { username: 'olive', fullName: 'Olive Owner', email: 'olive@example.com' });
  return { github, slack, trello, gdrive };
}

export async function closeEmulators(emulators: Emulators | undefined): Promise<void> {
  if (!emulators) return;
  await Promise.all(Object.values(emulators).map((e) => e.close()));
}

export function clearRequests(emulators: Emulators): void {
  for (const e of Object.values(emulators)) e.clearRequests();
}

/**
 * Writes what orchester recorded of who an e-mail is into the identity file an `orchest` run
 * reads (`HOME/.orchester/identities.json` unless config moves the audit file).
 */
export async function saveIdentities(emulators: Emulators, path: string): Promise<void> {
  const file = new FileIdentityStore(path);
  for (const { instance, email, id } of await identitiesOf(emulators).list())
    await file.forInstance(instance).set(email, id);
}

/** A config block as an emulator hands it out, without `base_url` (the registry takes it apart). */
function blockOf(emulator: { configBlock(): Record<string, unknown> }): Record<string, unknown> {
  const { base_url: _url, ...block } = emulator.configBlock();
  return block;
}

/** A registry over the four connectors given directly, each instance pointed at its emulator. */
export function registryOver(emulators: Emulators): ConnectorRegistry {
  const instance = (
    type: string,
    emulator: { url: string; configBlock(): Record<string, unknown> },
  ) => ({
    type,
    block: blockOf(emulator),
    baseUrl: emulator.url,
  });
  return registryFor(
    [githubConnector, slackConnector, trelloConnector, gdriveConnector],
    {
      [INSTANCES.github]: instance('github', emulators.github),
      [INSTANCES.slack]: instance('slack', emulators.slack),
      [INSTANCES.trello]: instance('trello', emulators.trello),
      [INSTANCES.gdrive]: instance('gdrive', emulators.gdrive),
    },
    { identities: identitiesOf(emulators) },
  );
}

/** Runs a batch in this process against the registry, auditing when a log is given. */
export function inlineSubmitFor(
  registry: ConnectorRegistry,
  audit?: { log: AuditLog; actor: string; personOf?: PersonLookup },
  extra: Partial<InlineRunOptions> = {},
): SubmitJobs {
  return inlineSubmit({
    resolver: registry,
    limitsFor: (name) => registry.limitsFor(name),
    ...extra,
    ...(audit ? { audit } : {}),
  });
}

// --- GitHub -------------------------------------------------------------------------------

const acmeOf = (state: GitHubState) => state.orgs.acme!;

function renameGitHubOwner(state: GitHubState, login: string): void {
  const acme = acmeOf(state);
  for (const old of Object.keys(acme.members)) delete acme.members[old];
  addUser(state, login, { email: `${login}@example.com` });
  acme.members[login] = 'admin';
  state.tokens[SANDBOX_TOKEN] = { kind: 'pat', login, scopes: ['admin:org'] };
}

/** Accounts (`login`, e-mail `login@example.com`) that are not in the organization. */
export function addGitHubUsers(state: GitHubState, logins: readonly string[]): void {
  for (const login of logins) {
    if (!state.users[login]) addUser(state, login, { email: `${login}@example.com` });
  }
}

/** Members of `acme` with `role`, creating their accounts. */
export function addGitHubMembers(
  state: GitHubState,
  logins: readonly string[],
  role: 'admin' | 'member' = 'member',
): void {
  addGitHubUsers(state, logins);
  const acme = acmeOf(state);
  for (const login of logins) acme.members[login] = role;
}

/** A pending invitation to `acme`, by login (the account is created) or by e-mail. */
export function addGitHubInvitation(
  state: GitHubState,
  to: { login: string } | { email: string },
  role: 'admin' | 'direct_member' = 'direct_member',
): void {
  if ('login' in to) addGitHubUsers(state, [to.login]);
  acmeOf(state).invitations.push({
    id: state.nextId++,
    login: 'login' in to ? to.login : null,
    email: 'email' in to ? to.email : null,
    role,
    createdAt: githubTime(Date.now()),
    inviter: 'olive',
  });
}

/** Pending invitations of `acme`, each by login, else e-mail. */
export function acmeInvitations(state: GitHubState): string[] {
  return acmeOf(state).invitations.map((i) => i.login ?? i.email ?? '?');
}

// --- Slack --------------------------------------------------------------------------------

type SlackUser = SlackSandboxState['users'][number];

/** People in the Slack workspace, by e-mail; `invited` have not joined yet. */
export function addSlackUsers(
  state: SlackSandboxState,
  emails: readonly string[],
  extra: Partial<SlackUser> = {},
): void {
  for (const email of emails) {
    const name = email.split('@')[0]!.toLowerCase();
    const id = `U2${String(state.nextId++).padStart(8, '0')}`;
    state.users.push(sandboxUser(id, name, email, { realName: name, ...extra }));
  }
}

/** The Slack user with this e-mail (any case), as the emulator keeps it. */
export function slackUser(state: SlackSandboxState, email: string): SlackUser | undefined {
  return state.users.find((u) => u.email?.toLowerCase() === email.toLowerCase());
}

/** Who counts as a person in the workspace now: not deleted, not a bot, not Slackbot. */
export function slackPeople(state: SlackSandboxState): Record<string, 'member' | 'invited'> {
  const people: Record<string, 'member' | 'invited'> = {};
  for (const u of state.users) {
    if (u.isBot || u.deleted || !u.email) continue;
    people[u.email.toLowerCase()] = u.invited ? 'invited' : 'member';
  }
  return people;
}

export const SLACK_TEAM_ID = SANDBOX_TEAM.id;

// --- Trello -------------------------------------------------------------------------------

const trelloAcme = (state: TrelloSandboxState) =>
  state.organizations.find((o) => o.name === 'acme')!;

/** Trello accounts (`username`, e-mail `username@example.com`) outside the workspace. */
export function addTrelloAccounts(state: TrelloSandboxState, usernames: readonly string[]): void {
  for (const username of usernames) {
    if (state.accounts.some((a) => a.username === username)) continue;
    state.accounts.push({
      id: nextId(state),
      username,
      fullName: username,
      email: `${username}@example.com`,
      confirmed: true,
      memberType: 'normal',
    });
  }
}

/** Members of workspace `acme`, creating their accounts. */
export function addTrelloMembers(
  state: TrelloSandboxState,
  usernames: readonly string[],
  memberType: 'normal' | 'admin' = 'normal',
): void {
  addTrelloAccounts(state, usernames);
  const org = trelloAcme(state);
  for (const username of usernames) {
    const account = state.accounts.find((a) => a.username === username)!;
    org.memberships.push({
      id: nextId(state),
      idMember: account.id,
      memberType,
      unconfirmed: false,
      deactivated: false,
    });
  }
}

/**
 * An e-mail invitation to `acme` not yet accepted: Trello's placeholder account and membership.
 * With `recordIn`, as orchester itself sent it: the e-mail's member recorded in the identity map.
 */
export function addTrelloInvitation(
  state: TrelloSandboxState,
  email: string,
  recordIn?: MemoryIdentityStore,
): void {
  const id = nextId(state);
  // A memory map records at once; nothing to wait for.
  void recordIn?.forInstance(INSTANCES.trello).set(email, id);
  state.accounts.push({
    id,
    username: `${email.split('@')[0]}${id.slice(-6)}`,
    fullName: email.split('@')[0]!,
    email,
    confirmed: false,
    memberType: 'ghost',
  });
  trelloAcme(state).memberships.push({
    id: nextId(state),
    idMember: id,
    memberType: 'normal',
    unconfirmed: true,
    deactivated: false,
  });
}

/** Workspace `acme` as `{ username-or-email: 'admin' | 'normal' | 'invited' }`. */
export function trelloPeople(state: TrelloSandboxState): Record<string, string> {
  const people: Record<string, string> = {};
  for (const m of trelloAcme(state).memberships) {
    const account = state.accounts.find((a) => a.id === m.idMember);
    if (!account || m.deactivated) continue;
    if (m.unconfirmed) people[account.email.toLowerCase()] = 'invited';
    else people[account.username] = m.memberType;
  }
  return people;
}

// --- Google Drive -------------------------------------------------------------------------

/** The folder the Drive instance manages (the `empty` seed's only item). */
export function driveFolder(state: DriveState) {
  return state.items.get('folder-empty')!;
}

/** People with `role` on the managed folder. */
export function addDriveReaders(
  state: DriveState,
  emails: readonly string[],
  role: 'reader' | 'commenter' | 'writer' = 'reader',
): void {
  const folder = driveFolder(state);
  for (const email of emails) {
    folder.permissions.push({
      id: permissionIdFor(email),
      type: 'user',
      role,
      emailAddress: email,
      displayName: email.split('@')[0]!,
    });
  }
}

/** The folder's user permissions as `{ email: role }`. */
export function drivePeople(state: DriveState): Record<string, string> {
  const people: Record<string, string> = {};
  for (const p of driveFolder(state).permissions) {
    if (p.type === 'user' && p.emailAddress) people[p.emailAddress.toLowerCase()] = p.role;
  }
  return people;
}

export const DRIVE_OWNER = SANDBOX_OWNER;
