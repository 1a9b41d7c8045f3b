import type { MembershipOptions } from '@orchester/core';
import type { WebApiWrites } from './web-api-door.js';

/** Config's `channel_ids`, then the person's own `channels` (a roster's), each once. */
function inviteChannels(channelIds: readonly string[], options: MembershipOptions): string {
  const own = Array.isArray(options.channels)
    ? options.channels.filter((c): c is string => typeof c === 'string')
    : [];
  return [...new Set([...channelIds, ...own])].join(',');
}

/**
 * Enterprise Grid: admin.users.invite / assign / remove with an org-level admin token. The org
 * account outlives a removal from the workspace. An invitation names the person's channels too,
 * so they are in them once they accept.
 */
export function adminWrites(teamId: string, channelIds: readonly string[]): WebApiWrites {
  return {
    keepsAccount: true,
    invite: (email, options) => ({
      method: 'admin.users.invite',
      args: {
        team_id: teamId,
        email,
        channel_ids: inviteChannels(channelIds, options),
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
