import {
  api,
  createInvitation,
  dropFromTeams,
  invitationOf,
  inviterLogin,
  inviterOf,
  memberLogin,
  orgOf,
  type Route,
} from './api.js';
import { cannotManage } from './auth.js';
import { takeInvitation } from './limits.js';
import { paged } from './pagination.js';
import {
  CREATE_INVITATION_DOCS,
  NOT_FOUND,
  organizationInvitation,
  validationError,
} from './shapes.js';
import type { EmulatedUser } from './state.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Pending invitations: list, invite by e-mail or user id, cancel. */
export function invitationRoutes(route: Route): void {
  route(
    'GET',
    '/orgs/:org/invitations',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      // GitHub hides the invitations from anyone who may not manage them.
      if (!org || cannotManage(caller, org, 'view invitations')) return NOT_FOUND();
      const items = [...org.invitations]
        .sort((a, b) => a.id - b.id)
        .map((i) => organizationInvitation(req.origin, org, i, inviterOf(state, i)));
      return paged(req, items);
    }),
  );

  route(
    'POST',
    '/orgs/:org/invitations',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      if (!org) return NOT_FOUND();
      const refused = cannotManage(caller, org, 'invite people to the organization');
      if (refused) return refused;
      const body = (req.body ?? {}) as {
        email?: unknown;
        invitee_id?: unknown;
        role?: unknown;
        team_ids?: unknown;
      };
      const role = body.role ?? 'direct_member';
      if (role !== 'admin' && role !== 'direct_member') {
        return validationError({
          resource: 'OrganizationInvitation',
          field: 'role',
          code: 'invalid',
        });
      }
      const teamIds = body.team_ids ?? [];
      // Unconfirmed: GitHub's answer to an id that is not one of the organization's teams.
      if (
        !Array.isArray(teamIds) ||
        !teamIds.every((id) => org.teams.some((team) => team.id === id))
      ) {
        return validationError({
          resource: 'OrganizationInvitation',
          field: 'team_ids',
          code: 'invalid',
        });
      }
      let invitee: EmulatedUser | undefined;
      let email: string | null = null;
      if (body.invitee_id !== undefined) {
        invitee = Object.values(state.users).find(
          (u) => u.id === body.invitee_id && u.type === 'User',
        );
        if (!invitee) {
          return validationError({
            resource: 'OrganizationInvitation',
            field: 'invitee_id',
            code: 'invalid',
            message: 'Invitee must be a valid user',
          });
        }
      } else if (typeof body.email === 'string' && EMAIL.test(body.email)) {
        email = body.email;
        invitee = Object.values(state.users).find(
          (u) => u.email?.toLowerCase() === body.email?.toString().toLowerCase(),
        );
      } else {
        return validationError({
          resource: 'OrganizationInvitation',
          field: 'email',
          code: 'invalid',
          message: 'Email is invalid or missing',
        });
      }
      if (invitee && memberLogin(org, invitee)) {
        return validationError(
          {
            resource: 'OrganizationInvitation',
            field: 'data',
            code: 'unprocessable',
            message: email
              ? 'A user with this email address is already a part of this organization'
              : 'Invitee is already a part of this organization',
          },
          CREATE_INVITATION_DOCS,
        );
      }
      const capped = takeInvitation(state, org);
      if (capped) return capped;
      // GitHub answers a repeated invitation with the one already pending (no second e-mail):
      // by e-mail, the invitation to that address; by user id, the one to that account. Its
      // teams stay as they were (unconfirmed).
      const invitation =
        (email
          ? org.invitations.find((i) => i.email?.toLowerCase() === email?.toLowerCase())
          : invitee && invitationOf(org, invitee)) ??
        createInvitation(
          state,
          org,
          { login: invitee?.login ?? null, email },
          role,
          inviterLogin(caller, org),
          teamIds as number[],
        );
      const inviter = inviterOf(state, invitation);
      return { status: 201, body: organizationInvitation(req.origin, org, invitation, inviter) };
    }),
  );

  route(
    'DELETE',
    '/orgs/:org/invitations/:invitation_id',
    api((req, state, caller) => {
      const org = orgOf(state, req.params.org);
      if (!org) return NOT_FOUND();
      const refused = cannotManage(caller, org, 'cancel an invitation');
      if (refused) return refused;
      const id = Number(req.params.invitation_id);
      const index = org.invitations.findIndex((i) => i.id === id);
      // Cancelling an invitation that is already cancelled answers 204 again.
      if (index < 0) return org.cancelledInvitations.includes(id) ? { status: 204 } : NOT_FOUND();
      const [gone] = org.invitations.splice(index, 1);
      org.cancelledInvitations.push(id);
      if (gone?.login) dropFromTeams(org, gone.login);
      return { status: 204 };
    }),
  );
}
