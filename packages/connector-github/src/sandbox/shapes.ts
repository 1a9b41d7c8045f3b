import type { EmulatedInvitation, EmulatedOrg, EmulatedTeam, EmulatedUser } from './state.js';

/** GitHub's answers, shaped as in its OpenAPI description (`simple-user`, `org-membership`...). */

const DOCS = 'https://docs.github.com/rest';
export const CREATE_INVITATION_DOCS =
  'https://docs.github.com/rest/orgs/members#create-an-organization-invitation';
const CREATED = '2015-01-01T00:00:00Z';

function nodeId(kind: string, id: number): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString('base64');
}

export function simpleUser(origin: string, user: EmulatedUser) {
  const api = `${origin}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type, user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    site_admin: false,
    user_view_type: 'public',
  };
}

/**
 * A user's profile. `email` is the address they made public, shown only to an authenticated
 * caller; null otherwise.
 */
export function publicUser(origin: string, user: EmulatedUser, authenticated = true) {
  return {
    ...simpleUser(origin, user),
    name: user.name,
    company: null,
    blog: '',
    location: null,
    email: user.emailPublic && authenticated ? user.email : null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: CREATED,
    updated_at: CREATED,
  };
}

export function privateUser(origin: string, user: EmulatedUser) {
  return {
    ...publicUser(origin, user),
    user_view_type: 'private',
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

export function organizationSimple(origin: string, org: EmulatedOrg) {
  const api = `${origin}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId('Organization', org.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${org.id}?v=4`,
    description: null,
  };
}

export function organizationFull(origin: string, org: EmulatedOrg) {
  return {
    ...organizationSimple(origin, org),
    html_url: `https://github.com/${org.login}`,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    type: 'Organization',
    created_at: org.createdAt,
    updated_at: org.createdAt,
    archived_at: null,
  };
}

export function orgMembership(
  origin: string,
  org: EmulatedOrg,
  user: EmulatedUser,
  state: 'active' | 'pending',
  role: 'admin' | 'member',
) {
  return {
    url: `${origin}/orgs/${org.login}/memberships/${user.login}`,
    state,
    role,
    organization_url: `${origin}/orgs/${org.login}`,
    organization: organizationSimple(origin, org),
    user: simpleUser(origin, user),
  };
}

export function organizationInvitation(
  origin: string,
  org: EmulatedOrg,
  invitation: EmulatedInvitation,
  inviter: EmulatedUser,
) {
  return {
    id: invitation.id,
    login: invitation.login,
    email: invitation.email,
    role: invitation.role,
    created_at: invitation.createdAt,
    failed_at: null,
    failed_reason: null,
    inviter: simpleUser(origin, inviter),
    team_count: invitation.teamIds?.length ?? 0,
    node_id: nodeId('OrganizationInvitation', invitation.id),
    invitation_teams_url: `${origin}/organizations/${org.id}/invitations/${invitation.id}/teams`,
    invitation_source: 'member',
  };
}

/** `team-full`: a team as "Get a team by name" answers it. */
export function teamFull(origin: string, org: EmulatedOrg, team: EmulatedTeam) {
  const api = `${origin}/teams/${team.id}`;
  return {
    id: team.id,
    node_id: nodeId('Team', team.id),
    url: api,
    html_url: `https://github.com/orgs/${org.login}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${api}/members{/member}`,
    repositories_url: `${api}/repos`,
    parent: null,
    members_count: Object.values(team.members).filter((m) => m.state === 'active').length,
    repos_count: 0,
    created_at: org.createdAt,
    updated_at: org.createdAt,
    organization: organizationFull(origin, org),
    type: 'organization',
    organization_id: org.id,
  };
}

export function teamMembership(
  origin: string,
  teamId: number,
  login: string,
  role: string,
  state: string,
) {
  return { url: `${origin}/teams/${teamId}/memberships/${login}`, role, state };
}

/** `basic-error`, as GitHub sends it: `status` is a string. */
export function basicError(status: number, message: string, doc = DOCS) {
  return { status, body: { message, documentation_url: doc, status: String(status) } };
}

/** `validation-error` with one entry in `errors`. */
export function validationError(
  error: { resource: string; field: string; code: string; message?: string },
  doc = DOCS,
) {
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: [error], documentation_url: doc, status: '422' },
  };
}

export const NOT_FOUND = () => basicError(404, 'Not Found');
