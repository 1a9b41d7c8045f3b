import { checkResultOf } from '../membership.js';
import type { SlackWebApi } from '../web-api.js';
import type { WriteDoor } from './door.js';

/**
 * The seed's undocumented users.admin.* methods with a legacy token. Deprecated: Slack no longer
 * issues such tokens; kept so existing set-ups keep working.
 */
export function legacyDoor(legacy: SlackWebApi, channels: readonly string[]): WriteDoor {
  return {
    keepsAccount: false,
    async add(email, options, found, attempt) {
      const state = checkResultOf(found).state;
      if (found && state === 'member') return { outcome: 'already-member', userId: found.id };
      if (found && state === 'invited') return { outcome: 'already-invited', userId: found.id };
      if (found && state === 'deactivated') {
        await attempt.change('reactivated', () =>
          legacy.call('users.admin.setRegular', { user: found.id }),
        );
        return { outcome: 'reactivated', userId: found.id };
      }
      const [first, ...last] = (options.fullName ?? '').split(/\s+/).filter(Boolean);
      const answer = await attempt.change('invited', () =>
        legacy.call(
          'users.admin.invite',
          {
            email,
            ...(channels.length > 0 ? { channels: channels.join(',') } : {}),
            ...(first ? { first_name: first } : {}),
            ...(last.length > 0 ? { last_name: last.join(' ') } : {}),
          },
          ['already_invited', 'already_in_team', 'sent_recently'],
        ),
      );
      if (answer.error === 'already_in_team') return { outcome: 'already-member' };
      if (answer.error) return { outcome: 'already-invited' };
      return { outcome: 'invited', detail: 'Slack sent an invitation' };
    },
    async remove(_email, found, attempt) {
      const state = checkResultOf(found).state;
      if (!found || state === 'absent' || state === 'deactivated') return { outcome: 'not-member' };
      const outcome = state === 'invited' ? 'invitation-cancelled' : 'removed';
      await attempt.change(outcome, () =>
        legacy.call('users.admin.setInactive', { user: found.id }),
      );
      return { outcome, userId: found.id };
    },
  };
}
