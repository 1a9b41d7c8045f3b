import type { WebApiWrites } from './web-api-door.js';

/**
 * Enterprise Grid: admin.users.invite / assign / remove with an org-level admin token. The org
 * account outlives a removal from the workspace.
 */
export function adminWrites(teamId: string, channelIds: readonly string[]): WebApiWrites {
  return {
    keepsAccount: true,
    invite: (email, options) => ({
      method: 'admin.users.invite',
      args: {
        team_id: teamId,
        email,
        channel_ids: channelIds.join(','),
        ...(options.fullName ? { real_name: options.fullName } : {}),
      },
      unchanged: ['already_in_team', 'already_in_team_invited_user', 'user_disabled'],
    }),
    alreadyMember: ['already_in_team'],
    alreadyInvited: ['already_in_team_invited_user'],
    reactivate: (userId) => ({
      method: 'admin.users.assign',
      args: { team_id: teamId, user_id: userId, channel_ids: channelIds.join(',') },
      unchanged: ['user_already_team_member'],
    }),
    remove: (userId) => ({
      method: 'admin.users.remove',
      args: { team_id: teamId, user_id: userId },
      unchanged: ['user_not_found', 'user_already_deleted'],
    }),
  };
}
