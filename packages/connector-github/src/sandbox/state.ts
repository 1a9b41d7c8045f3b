/** A GitHub account: a person, or an organization's own account. */
export interface EmulatedUser {
  readonly login: string;
  readonly id: number;
  readonly type: 'User' | 'Organization';
  readonly name: string | null;
  /** The account's verified e-mail: an e-mail invitation to it reaches this person. */
  readonly email: string | null;
  /** True when the person made that e-mail public on their profile (GitHub hides it otherwise). */
  readonly emailPublic?: boolean;
}

export interface EmulatedInvitation {
  readonly id: number;
  /** Set for an invitation by login (or by an e-mail that belongs to an account). */
  readonly login: string | null;
  readonly email: string | null;
  role: 'admin' | 'direct_member';
  readonly createdAt: string;
  readonly inviter: string;
  /** Ids of the teams the invitee joins, as a member, on accepting (`team_ids`). */
  readonly teamIds?: readonly number[];
}

export interface EmulatedTeam {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  /** login → team role; `state` is pending while the org invitation is. */
  readonly members: Record<string, { role: 'member' | 'maintainer'; state: 'active' | 'pending' }>;
}

export interface EmulatedOrg {
  readonly login: string;
  readonly id: number;
  readonly createdAt: string;
  /** The organization's plan: the invitation cap is higher on a paid one. */
  plan: 'free' | 'paid';
  /** login → org role. */
  readonly members: Record<string, 'admin' | 'member'>;
  readonly invitations: EmulatedInvitation[];
  readonly teams: EmulatedTeam[];
  /** When each invitation was sent (epoch ms), for the rolling invitation cap. */
  readonly invitationsSent: number[];
  /** Ids of invitations cancelled so far: cancelling one again answers 204. */
  readonly cancelledInvitations: number[];
}

/** A credential the emulator accepts. */
export type EmulatedToken =
  | {
      readonly kind: 'pat';
      readonly login: string;
      /** Classic token scopes; `null` for a fine-grained token (GitHub lists no scopes for it). */
      readonly scopes: readonly string[] | null;
      /** Fine-grained: the organization permission "Members". */
      readonly members?: 'read' | 'write';
    }
  | {
      readonly kind: 'installation';
      readonly org: string;
      readonly expiresAt: number;
      readonly members: 'read' | 'write';
    };

export interface EmulatedApp {
  readonly id: number;
  /** PEM (SPKI) of the App's public key: JWTs must be RS256-signed by its private key. */
  readonly publicKey: string;
  /** installation id → organization login. */
  readonly installations: Record<string, string>;
  /** The organization permission "Members" the App was granted. */
  members: 'read' | 'write';
}

/** Limits a test can change while the emulator runs (`running.state.limits.invitationCap = 2`). */
export interface EmulatedLimits {
  /** Primary limit per token per hour (GitHub: 5000 for a PAT). */
  primaryPerHour: number;
  /** Writes per token per minute (GitHub: 80 content-generating requests a minute). */
  writesPerMinute: number;
  /** Writes per token per hour (GitHub: 500 content-generating requests an hour). */
  writesPerHour: number;
  /** Secondary-limit points per token per endpoint per minute, a read 1, a write 5 (GitHub: 900). */
  pointsPerMinute: number;
  /**
   * Invitations per organization per window; `null` is GitHub's rule: 50 per 24 h, or 500 for an
   * organization on a paid plan or more than a month old.
   */
  invitationCap: number | null;
  invitationWindowMs: number;
  /** How long an invitation stays pending unaccepted (GitHub: seven days). */
  invitationExpiryMs: number;
}

export interface GitHubState {
  readonly users: Record<string, EmulatedUser>;
  readonly orgs: Record<string, EmulatedOrg>;
  readonly tokens: Record<string, EmulatedToken>;
  readonly apps: Record<string, EmulatedApp>;
  readonly limits: EmulatedLimits;
  nextId: number;
}

export const DEFAULT_LIMITS: EmulatedLimits = Object.freeze({
  primaryPerHour: 5000,
  writesPerMinute: 80,
  writesPerHour: 500,
  pointsPerMinute: 900,
  invitationCap: null,
  invitationWindowMs: 24 * 60 * 60_000,
  invitationExpiryMs: 7 * 24 * 60 * 60_000,
});

/** The fake token `configFor` hands out: an owner of `acme` with the admin:org scope. */
export const SANDBOX_TOKEN = 'ghp_sandboxOwnerToken0000000000000000000';

/** A time as GitHub writes it: ISO 8601 in UTC, whole seconds. */
export function githubTime(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Adds a person; answers the account. */
export function addUser(
  state: GitHubState,
  login: string,
  extra: {
    name?: string;
    email?: string;
    emailPublic?: boolean;
    type?: 'User' | 'Organization';
  } = {},
): EmulatedUser {
  const user: EmulatedUser = {
    login,
    id: state.nextId++,
    type: extra.type ?? 'User',
    name: extra.name ?? null,
    email: extra.email ?? null,
    ...(extra.emailPublic ? { emailPublic: true } : {}),
  };
  state.users[login.toLowerCase()] = user;
  return user;
}

/** Adds an organization (and its account) with no members. */
export function addOrg(state: GitHubState, login: string): EmulatedOrg {
  const account = addUser(state, login, { type: 'Organization' });
  const org: EmulatedOrg = {
    login,
    id: account.id,
    createdAt: '2020-01-01T00:00:00Z',
    plan: 'free',
    members: {},
    invitations: [],
    teams: [],
    invitationsSent: [],
    cancelledInvitations: [],
  };
  state.orgs[login.toLowerCase()] = org;
  return org;
}

function emptyState(): GitHubState {
  return { users: {}, orgs: {}, tokens: {}, apps: {}, limits: { ...DEFAULT_LIMITS }, nextId: 1000 };
}

/** `acme`: an owner, members, pending invitations by login and by e-mail, a team, and outsiders. */
export function demoState(): GitHubState {
  const state = emptyState();
  const acme = addOrg(state, 'acme');
  addUser(state, 'alice', { name: 'Alice Owner', email: 'alice@acme.test' });
  for (const login of ['bob', 'carol', 'dave']) addUser(state, login);
  addUser(state, 'erin', { email: 'erin@example.com' });
  addUser(state, 'octocat', {
    name: 'The Octocat',
    email: 'octocat@github.test',
    emailPublic: true,
  });
  addUser(state, 'hubot', { name: 'Hubot' });
  addUser(state, 'mona', { name: 'Mona Lisa Octocat' });
  Object.assign(acme.members, { alice: 'admin', bob: 'member', carol: 'member', dave: 'member' });
  acme.invitations.push(
    {
      id: state.nextId++,
      login: 'erin',
      email: null,
      role: 'direct_member',
      createdAt: githubTime(Date.now() - 2 * 86_400_000),
      inviter: 'alice',
    },
    {
      id: state.nextId++,
      login: null,
      email: 'new.hire@example.com',
      role: 'direct_member',
      createdAt: githubTime(Date.now() - 86_400_000),
      inviter: 'alice',
    },
  );
  acme.teams.push({
    id: state.nextId++,
    slug: 'engineering',
    name: 'Engineering',
    members: { bob: { role: 'maintainer', state: 'active' } },
  });
  state.tokens[SANDBOX_TOKEN] = { kind: 'pat', login: 'alice', scopes: ['admin:org', 'repo'] };
  return state;
}

/** An organization `acme` whose only member is the owner behind the sandbox token. */
export function emptyOrgState(): GitHubState {
  const state = emptyState();
  const acme = addOrg(state, 'acme');
  addUser(state, 'alice', { name: 'Alice Owner' });
  acme.members.alice = 'admin';
  state.tokens[SANDBOX_TOKEN] = { kind: 'pat', login: 'alice', scopes: ['admin:org'] };
  return state;
}
