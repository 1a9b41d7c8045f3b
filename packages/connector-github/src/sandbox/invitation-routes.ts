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
import { cannotManage } from './auth.js';
import { takeInvitation } from './limits.js';
import { paged } from './pagination.js';
import { NOT_FOUND, organizationInvitation, validationError } from './shapes.js';
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
        .map((i) =>
          organizationInvitation(
            req.origin,
            org,
            i,
            userOf(state, i.inviter) ?? {
              login: i.inviter,
              id: 1,
              type: 'User',
              name: null,
              email: null,
            },
          ),
        );
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
      const body = (req.body ?? {}) as { email?: unknown; invitee_id?: unknown; role?: unknown };
      const role = body.role ?? 'direct_member';
      if (role !== 'admin' && role !== 'direct_member') {
        return validationError({
          resource: 'OrganizationInvitation',
          field: 'role',
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
        return validationError({
          resource: 'OrganizationInvitation',
          field: 'data',
          code: 'unprocessable',
          message: 'Invitee is already a part of this organization',
        });
      }
      const already = invitee
        ? invitationOf(org, invitee)
        : org.invitations.find((i) => i.email?.toLowerCase() === email?.toLowerCase());
      if (already) {
        return validationError({
          resource: 'OrganizationInvitation',
          field: 'data',
          code: 'unprocessable',
          message: 'Invitee has already been invited',
        });
      }
      const capped = takeInvitation(state, org);
      if (capped) return capped;
      const invitation = createInvitation(
        state,
        org,
        { login: invitee?.login ?? null, email },
        role,
        inviterLogin(caller, org),
      );
      const inviter = userOf(state, invitation.inviter) ?? {
        login: invitation.inviter,
        id: 1,
        type: 'User' as const,
        name: null,
        email: null,
      };
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
      const index = org.invitations.findIndex((i) => String(i.id) === req.params.invitation_id);
      if (index < 0) return NOT_FOUND();
      const [gone] = org.invitations.splice(index, 1);
      if (gone?.login) dropFromTeams(org, gone.login);
      return { status: 204 };
    }),
  );
}
