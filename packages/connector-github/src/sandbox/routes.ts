import { randomBytes } from 'node:crypto';
import {
  api,
  createInvitation,
  dropFromTeams,
  invitationOf,
  inviterLogin,
  memberLogin,
  orgOf,
  type Route,
  userOf,
} from './api.js';
import { cannotManage, canRead } from './auth.js';
import { invitationRoutes } from './invitation-routes.js';
import { takeInvitation } from './limits.js';
import { paged } from './pagination.js';
import {
  basicError,
  NOT_FOUND,
  organizationFull,
  orgMembership,
  privateUser,
  publicUser,
  simpleUser,
  teamFull,
  teamMembership,
  validationError,
} from './shapes.js';
import type { EmulatedOrg, EmulatedUser } from './state.js';

/**
 * GitHub keeps an owner in every organization ("If you're the only member with owner
 * privileges, give another organization member the owner role" before leaving). The status and
 * words of the API's refusal are not documented; these are the emulator's.
 */
function isLastOwner(org: EmulatedOrg, login: string): boolean {
  return (
    org.members[login] === 'admin' &&
    Object.values(org.members).filter((role) => role === 'admin').length === 1
  );
}

const LAST_OWNER = () =>
  basicError(
    403,
    'You cannot remove the last owner of an organization; make another member an owner first.',
  );

/** The endpoints of providers.md §1, plus the App token exchange and accepting an invitation. */
export function githubRoutes(route: Route): void {
  route(
    'GET',
    '/user',
    api((req, state, caller) => {
      if (caller.kind !== 'token') return basicError(401, 'Requires authentication');
      if (caller.token.kind !== 'pat')
        return basicError(403, 'Resource not accessible by integration');
      const user = userOf(state, caller.token.login);
      return user
        ? { status: 200, body: privateUser(req.origin, user) }
        : basicError(401, 'Bad credentials');
    }),
  );

  route(
    'GET',
    '/users/:username',
    api(
      (req, state, caller) => {
        const user = userOf(state, req.params.username);
        if (!user) return NOT_FOUND();
        return { status: 200, body: publicUser(req.origin, user, caller.kind !== 'anonymous') };
      },
      { anonymous: true },
    ),
  );

  route(
    'GET',
    '/orgs/:org',
    api(
      (req, state) => {
        const org = orgOf(state, req.params.org);
        return org ? { status: 200, body: organizationFull(req.origin, org) } : NOT_FOUND();
      },
      { anonymous: true },
    ),
  );

  route(
    'GET',
    '/orgs/:org/members',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      if (!org) return NOT_FOUND();
      const role = req.query.get('role') ?? 'all';
      const filter = req.query.get('filter') ?? 'all';
      if (!['all', 'admin', 'member'].includes(role)) {
        return validationError({ resource: 'Search', field: 'role', code: 'invalid' });
      }
      if (!['all', '2fa_disabled', '2fa_insecure'].includes(filter)) {
        return validationError({ resource: 'Search', field: 'filter', code: 'invalid' });
      }
      // Outsiders see public members only; the emulator has no public memberships.
      if (!canRead(caller, org)) return paged(req, []);
      const users = Object.entries(org.members)
        .filter(([, r]) => role === 'all' || r === role)
        .map(([login]) => userOf(state, login))
        .filter((u): u is EmulatedUser => u !== undefined)
        .sort((a, b) => a.id - b.id);
      return paged(
        req,
        users.map((u) => simpleUser(req.origin, u)),
      );
    }),
  );

  route(
    'GET',
    '/orgs/:org/members/:username',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      if (!org) return NOT_FOUND();
      if (!canRead(caller, org)) {
        return {
          status: 302,
          headers: {
            location: `${req.origin}/orgs/${org.login}/public_members/${req.params.username}`,
          },
        };
      }
      const user = userOf(state, req.params.username);
      return user && memberLogin(org, user) ? { status: 204 } : NOT_FOUND();
    }),
  );

  route(
    'GET',
    '/orgs/:org/public_members/:username',
    api(() => NOT_FOUND(), { anonymous: true }),
  );

  route(
    'DELETE',
    '/orgs/:org/members/:username',
    api((_req, state, caller) => {
      const org = orgOf(state, _req.params.org);
      if (!org) return NOT_FOUND();
      const refused = cannotManage(caller, org, 'remove an organization member');
      if (refused) return refused;
      const user = userOf(state, _req.params.username);
      const login = user && memberLogin(org, user);
      if (login) {
        if (isLastOwner(org, login)) return LAST_OWNER();
        delete org.members[login];
        dropFromTeams(org, login);
      }
      return { status: 204 };
    }),
  );

  route(
    'GET',
    '/orgs/:org/memberships/:username',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      if (!org) return NOT_FOUND();
      if (!canRead(caller, org)) {
        return basicError(
          403,
          `You must be a member of ${org.login} to see membership information for ${req.params.username}.`,
        );
      }
      const user = userOf(state, req.params.username);
      if (!user) return NOT_FOUND();
      const login = memberLogin(org, user);
      if (login)
        return {
          status: 200,
          body: orgMembership(req.origin, org, user, 'active', org.members[login] ?? 'member'),
        };
      const invitation = invitationOf(org, user);
      if (invitation) {
        const role = invitation.role === 'admin' ? 'admin' : 'member';
        return { status: 200, body: orgMembership(req.origin, org, user, 'pending', role) };
      }
      return NOT_FOUND();
    }),
  );

  route(
    'PUT',
    '/orgs/:org/memberships/:username',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      if (!org) return NOT_FOUND();
      const refused = cannotManage(caller, org, 'add or update an organization membership');
      if (refused) return refused;
      const role = (req.body as { role?: unknown } | undefined)?.role ?? 'member';
      if (role !== 'admin' && role !== 'member') {
        return validationError({
          resource: 'OrganizationMembership',
          field: 'role',
          code: 'invalid',
        });
      }
      const user = userOf(state, req.params.username);
      if (!user) return NOT_FOUND();
      if (user.type !== 'User') {
        return validationError({
          resource: 'OrganizationMembership',
          field: 'user',
          code: 'invalid',
          message: 'Only users can be members of an organization',
        });
      }
      const login = memberLogin(org, user);
      if (login) {
        if (role !== 'admin' && isLastOwner(org, login)) return LAST_OWNER();
        org.members[login] = role;
        return { status: 200, body: orgMembership(req.origin, org, user, 'active', role) };
      }
      const pending = invitationOf(org, user);
      if (pending) {
        pending.role = role === 'admin' ? 'admin' : 'direct_member';
        return { status: 200, body: orgMembership(req.origin, org, user, 'pending', role) };
      }
      const capped = takeInvitation(state, org);
      if (capped) return capped;
      createInvitation(
        state,
        org,
        { login: user.login, email: null },
        role === 'admin' ? 'admin' : 'direct_member',
        inviterLogin(caller, org),
      );
      return { status: 200, body: orgMembership(req.origin, org, user, 'pending', role) };
    }),
  );

  route(
    'DELETE',
    '/orgs/:org/memberships/:username',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      if (!org) return NOT_FOUND();
      const refused = cannotManage(caller, org, 'remove an organization member');
      if (refused) return refused;
      const user = userOf(state, req.params.username);
      if (!user) return NOT_FOUND();
      const login = memberLogin(org, user);
      if (login) {
        if (isLastOwner(org, login)) return LAST_OWNER();
        delete org.members[login];
        dropFromTeams(org, login);
        return { status: 204 };
      }
      const invitation = invitationOf(org, user);
      if (!invitation) return NOT_FOUND();
      org.invitations.splice(org.invitations.indexOf(invitation), 1);
      org.cancelledInvitations.push(invitation.id);
      dropFromTeams(org, user.login);
      return { status: 204 };
    }),
  );

  invitationRoutes(route);

  // "Get a team by name": to organization members (the connector reads a team's id here).
  route(
    'GET',
    '/orgs/:org/teams/:team_slug',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      const team = org?.teams.find((t) => t.slug === req.params.team_slug);
      if (!org || !team || !canRead(caller, org)) return NOT_FOUND();
      return { status: 200, body: teamFull(req.origin, org, team) };
    }),
  );

  // "List team members": active members only (pending ones are team invitations), filtered by
  // team role. GitHub adds `role` and `inherited` to each item only where a feature is enabled
  // for the organization; the emulator answers as an organization without it.
  route(
    'GET',
    '/orgs/:org/teams/:team_slug/members',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      const team = org?.teams.find((t) => t.slug === req.params.team_slug);
      if (!org || !team || !canRead(caller, org)) return NOT_FOUND();
      const role = req.query.get('role') ?? 'all';
      if (!['all', 'member', 'maintainer'].includes(role)) {
        return validationError({ resource: 'TeamMember', field: 'role', code: 'invalid' });
      }
      const users = Object.entries(team.members)
        .filter(([, m]) => m.state === 'active' && (role === 'all' || m.role === role))
        .map(([login]) => userOf(state, login))
        .filter((u): u is EmulatedUser => u !== undefined)
        .sort((a, b) => a.id - b.id);
      return paged(
        req,
        users.map((u) => simpleUser(req.origin, u)),
      );
    }),
  );

  route(
    'GET',
    '/orgs/:org/teams/:team_slug/memberships/:username',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      const team = org?.teams.find((t) => t.slug === req.params.team_slug);
      const user = userOf(state, req.params.username);
      if (!org || !team || !user || !canRead(caller, org)) return NOT_FOUND();
      const m = team.members[user.login];
      return m
        ? { status: 200, body: teamMembership(req.origin, team.id, user.login, m.role, m.state) }
        : NOT_FOUND();
    }),
  );

  route(
    'PUT',
    '/orgs/:org/teams/:team_slug/memberships/:username',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      if (!org) return NOT_FOUND();
      const refused = cannotManage(caller, org, 'add team members');
      if (refused) return refused;
      const team = org.teams.find((t) => t.slug === req.params.team_slug);
      const user = userOf(state, req.params.username);
      if (!team || !user) return NOT_FOUND();
      const role = (req.body as { role?: unknown } | undefined)?.role ?? 'member';
      if (role !== 'member' && role !== 'maintainer') {
        return validationError({ resource: 'TeamMember', field: 'role', code: 'invalid' });
      }
      if (user.type !== 'User') {
        return validationError({
          resource: 'TeamMember',
          field: 'user',
          code: 'org',
          message: 'Cannot add an organization as a member.',
        });
      }
      let state_: 'active' | 'pending' = 'active';
      if (!memberLogin(org, user)) {
        // A team invitation of an outsider invites them to the organization too.
        state_ = 'pending';
        if (!invitationOf(org, user)) {
          const capped = takeInvitation(state, org);
          if (capped) return capped;
          createInvitation(
            state,
            org,
            { login: user.login, email: null },
            'direct_member',
            inviterLogin(caller, org),
          );
        }
      }
      team.members[user.login] = { role, state: state_ };
      return { status: 200, body: teamMembership(req.origin, team.id, user.login, role, state_) };
    }),
  );

  route(
    'DELETE',
    '/orgs/:org/teams/:team_slug/memberships/:username',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      if (!org) return NOT_FOUND();
      const refused = cannotManage(caller, org, 'remove team members');
      if (refused) return refused;
      const team = org.teams.find((t) => t.slug === req.params.team_slug);
      const user = userOf(state, req.params.username);
      if (team && user) delete team.members[user.login];
      return { status: 204 };
    }),
  );

  // The invitee's side: accepting an invitation (`PATCH /user/memberships/orgs/{org}`).
  route(
    'PATCH',
    '/user/memberships/orgs/:org',
    api((req, state, caller) => {
      if (caller.kind !== 'token' || caller.token.kind !== 'pat')
        return basicError(403, 'Resource not accessible by integration');
      const org = orgOf(state, req.params.org);
      const user = userOf(state, caller.token.login);
      if (!org || !user) return NOT_FOUND();
      if ((req.body as { state?: unknown } | undefined)?.state !== 'active') {
        return validationError({
          resource: 'OrganizationMembership',
          field: 'state',
          code: 'invalid',
        });
      }
      const invitation = invitationOf(org, user);
      if (!invitation)
        return memberLogin(org, user)
          ? {
              status: 200,
              body: orgMembership(
                req.origin,
                org,
                user,
                'active',
                org.members[user.login] ?? 'member',
              ),
            }
          : NOT_FOUND();
      org.invitations.splice(org.invitations.indexOf(invitation), 1);
      const role = invitation.role === 'admin' ? 'admin' : 'member';
      org.members[user.login] = role;
      for (const team of org.teams) {
        const m = team.members[user.login];
        if (m) m.state = 'active';
        // The invitation's `team_ids`: joined as a plain member (it names no team role).
        else if (invitation.teamIds?.includes(team.id))
          team.members[user.login] = { role: 'member', state: 'active' };
      }
      return { status: 200, body: orgMembership(req.origin, org, user, 'active', role) };
    }),
  );

  route(
    'POST',
    '/app/installations/:installation_id/access_tokens',
    api(
      (req, state, caller) => {
        if (caller.kind !== 'app') return basicError(401, 'A JSON web token could not be decoded');
        const app = state.apps[String(caller.appId)];
        const org = app?.installations[req.params.installation_id ?? ''];
        if (!app || !org) return NOT_FOUND();
        const token = `ghs_${randomBytes(18).toString('hex')}`;
        const expiresAt = Date.now() + 3_600_000;
        state.tokens[token] = { kind: 'installation', org, expiresAt, members: app.members };
        return {
          status: 201,
          body: {
            token,
            expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            permissions: { members: app.members, metadata: 'read' },
            repository_selection: 'all',
          },
        };
      },
      { app: true },
    ),
  );
}
