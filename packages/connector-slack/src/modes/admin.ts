import { checkResultOf } from '../membership.js';
import type { SlackWebApi } from '../web-api.js';
import type { WriteDoor } from './door.js';

/** Enterprise Grid: admin.users.invite / assign / remove with an org-level admin token. */
export function adminDoor(
  admin: SlackWebApi,
  teamId: string,
  channelIds: readonly string[],
): WriteDoor {
  return {
    keepsAccount: true,
    async add(email, options, found, attempt) {
      const state = checkResultOf(found).state;
      if (found && state === 'member') return { outcome: 'already-member', userId: found.id };
      if (found && state === 'invited') return { outcome: 'already-invited', userId: found.id };
      if (found && state === 'deactivated') {
        // The org account exists: put it back into the workspace.
        await attempt.change('reactivated', () =>
          admin.call('admin.users.assign', {
            team_id: teamId,
            user_id: found.id,
            channel_ids: channelIds.join(','),
          }),
        );
        return { outcome: 'reactivated', userId: found.id };
      }
      const answer = await attempt.change('invited', () =>
        admin.call(
          'admin.users.invite',
          {
            team_id: teamId,
            email,
            channel_ids: channelIds.join(','),
            ...(options.fullName ? { real_name: options.fullName } : {}),
          },
          ['already_in_team', 'already_in_team_invited_user'],
        ),
      );
      if (answer.error === 'already_in_team') return { outcome: 'already-member' };
      if (answer.error === 'already_in_team_invited_user') return { outcome: 'already-invited' };
      return { outcome: 'invited', detail: 'Slack sent an invitation' };
    },
    async remove(_email, found, attempt) {
      const state = checkResultOf(found).state;
      if (!found || state === 'absent' || state === 'deactivated') return { outcome: 'not-member' };
      const answer = await attempt.change(
        state === 'invited' ? 'invitation-cancelled' : 'removed',
        () =>
          admin.call('admin.users.remove', { team_id: teamId, user_id: found.id }, [
            'user_not_found',
            'user_already_deleted',
          ]),
      );
      if (!answer.ok) return { outcome: 'not-member' };
      return {
        outcome: state === 'invited' ? 'invitation-cancelled' : 'removed',
        userId: found.id,
      };
    },
  };
}
