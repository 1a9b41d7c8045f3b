import type { SandboxChannel, SandboxUser, SlackSandboxState } from './state.js';

/** A user's role and kind, as both user shapes carry them. */
function rolesJson(u: SandboxUser): Record<string, boolean> {
  return {
    is_admin: u.isAdmin,
    is_owner: u.isOwner,
    is_primary_owner: u.isPrimaryOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.isBot,
  };
}

/** A user object as the Web API answers it (objs_user). */
export function userJson(state: SlackSandboxState, u: SandboxUser): Record<string, unknown> {
  return {
    id: u.id,
    team_id: state.team.id,
    name: u.name,
    deleted: u.deleted,
    real_name: u.realName,
    ...rolesJson(u),
    is_app_user: false,
    ...(u.invited ? { is_invited_user: true } : {}),
    updated: u.updated,
    profile: {
      real_name: u.realName,
      real_name_normalized: u.realName,
      display_name: u.name,
      display_name_normalized: u.name,
      avatar_hash: 'g0000000000a',
      title: '',
      phone: '',
      skype: '',
      status_text: '',
      status_emoji: '',
      fields: null,
      team: state.team.id,
      ...(u.email ? { email: u.email } : {}),
    },
  };
}

/** A user as admin.users.list answers it: the fields of the method's documented example. */
export function adminUserJson(u: SandboxUser): Record<string, unknown> {
  return {
    id: u.id,
    email: u.email ?? '',
    ...rolesJson(u),
  };
}

/** A conversation object (objs_conversation). */
export function channelJson(c: SandboxChannel): Record<string, unknown> {
  const about = { creator: 'U0OWNER001', last_set: 1_767_225_600, value: '' };
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    created: 1_767_225_600,
    creator: 'U0OWNER001',
    is_archived: c.archived,
    is_channel: !c.isPrivate,
    is_group: c.isPrivate,
    is_general: c.name === 'general',
    is_im: false,
    is_mpim: false,
    is_org_shared: false,
    is_shared: false,
    is_private: c.isPrivate,
    num_members: c.members.length,
    topic: about,
    purpose: about,
  };
}

/** A SCIM v2 User resource. */
export function scimUserJson(origin: string, u: SandboxUser): Record<string, unknown> {
  const [givenName, ...rest] = u.realName.split(' ');
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: u.id,
    userName: u.name,
    displayName: u.realName,
    name: { givenName: givenName ?? u.name, familyName: rest.join(' ') },
    emails: u.email ? [{ value: u.email, primary: true }] : [],
    active: !u.deleted,
    meta: { resourceType: 'User', location: `${origin}/scim/v2/Users/${u.id}` },
  };
}
