import type { WebApiWrites } from './web-api-door.js';

/**
 * The seed's undocumented users.admin.* methods with a legacy token. Deprecated: Slack no longer
 * issues such tokens; kept so existing set-ups keep working.
 */
export function legacyWrites(channels: readonly string[]): WebApiWrites {
  return {
    keepsAccount: false,
    invite: (email, options) => {
      const [first, ...last] = (options.fullName ?? '').split(/\s+/).filter(Boolean);
      return {
        method: 'users.admin.invite',
        args: {
          email,
          ...(channels.length > 0 ? { channels: channels.join(',') } : {}),
          ...(first ? { first_name: first } : {}),
          ...(last.length > 0 ? { last_name: last.join(' ') } : {}),
        },
        unchanged: ['already_invited', 'already_in_team', 'sent_recently', 'user_disabled'],
      };
    },
    alreadyMember: ['already_in_team'],
    alreadyInvited: ['already_invited', 'sent_recently'],
    reactivate: (userId) => ({
      method: 'users.admin.setRegular',
      args: { user: userId },
      unchanged: [],
    }),
    remove: (userId) => ({
      method: 'users.admin.setInactive',
      args: { user: userId },
      unchanged: ['user_not_found'],
    }),
  };
}
