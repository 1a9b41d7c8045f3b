import type { Handler, SandboxRequest, SandboxResponse } from '@orchester/sandbox';
import { type Caller, callerOf } from './auth.js';
import { hitPrimary, hitSecondary } from './limits.js';
import { basicError } from './shapes.js';
import {
  type EmulatedInvitation,
  type EmulatedOrg,
  type EmulatedUser,
  type GitHubState,
  githubTime,
} from './state.js';

/** What every route shares: authentication and limits, and finding orgs, users and invitations. */

export type Api = (req: SandboxRequest, state: GitHubState, caller: Caller) => SandboxResponse;
export type Route = (method: string, path: string, handler: Handler<GitHubState>) => void;

/** Authenticates, counts the primary and secondary limits, then answers. */
export function api(
  handler: Api,
  options: { anonymous?: boolean; app?: boolean } = {},
): Handler<GitHubState> {
  return (req, state) => {
    const caller = callerOf(req, state);
    if ('status' in caller) return caller;
    if (caller.kind === 'anonymous' && !options.anonymous)
      return basicError(401, 'Requires authentication');
    if (caller.kind === 'app' && !options.app) {
      return basicError(
        401,
        'A JSON web token could not be used for this endpoint; use an installation token',
      );
    }
    const limited = hitPrimary(state, caller.key) ?? hitSecondary(state, caller.key, req);
    return limited ?? handler(req, state, caller);
  };
}

/** The organization, its invitations older than GitHub keeps them pending expired. */
export function orgOf(state: GitHubState, name = ''): EmulatedOrg | undefined {
  const org = state.orgs[name.toLowerCase()];
  if (org) expireInvitations(state, org);
  return org;
}

function expireInvitations(state: GitHubState, org: EmulatedOrg, now = Date.now()): void {
  const cutoff = now - state.limits.invitationExpiryMs;
  const expired = org.invitations.filter((i) => Date.parse(i.createdAt) <= cutoff);
  for (const invitation of expired) {
    org.invitations.splice(org.invitations.indexOf(invitation), 1);
    if (invitation.login) dropFromTeams(org, invitation.login);
  }
}
export const userOf = (state: GitHubState, login = '') => state.users[login.toLowerCase()];

export function memberLogin(org: EmulatedOrg, user: EmulatedUser): string | undefined {
  return Object.keys(org.members).find((l) => l.toLowerCase() === user.login.toLowerCase());
}

export function invitationOf(org: EmulatedOrg, user: EmulatedUser): EmulatedInvitation | undefined {
  const login = user.login.toLowerCase();
  const email = user.email?.toLowerCase();
  return org.invitations.find(
    (i) => i.login?.toLowerCase() === login || (email && i.email?.toLowerCase() === email),
  );
}

export function dropFromTeams(org: EmulatedOrg, login: string): void {
  for (const team of org.teams) delete team.members[login];
}

export function createInvitation(
  state: GitHubState,
  org: EmulatedOrg,
  invitee: { login: string | null; email: string | null },
  role: EmulatedInvitation['role'],
  inviter: string,
  teamIds: readonly number[] = [],
): EmulatedInvitation {
  const invitation: EmulatedInvitation = {
    id: state.nextId++,
    login: invitee.login,
    email: invitee.email,
    role,
    createdAt: githubTime(Date.now()),
    inviter,
    ...(teamIds.length > 0 ? { teamIds } : {}),
  };
  org.invitations.push(invitation);
  return invitation;
}

export function inviterLogin(caller: Caller, org: EmulatedOrg): string {
  if (caller.kind === 'token' && caller.token.kind === 'pat') return caller.token.login;
  return Object.keys(org.members).find((l) => org.members[l] === 'admin') ?? org.login;
}

/** The account that sent an invitation (a stand-in when it is gone). */
export function inviterOf(state: GitHubState, invitation: EmulatedInvitation): EmulatedUser {
  return (
    userOf(state, invitation.inviter) ?? {
      login: invitation.inviter,
      id: 1,
      type: 'User',
      name: null,
      email: null,
    }
  );
}
