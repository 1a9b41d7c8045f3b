import { type ChangeAttempt, ConflictError, type MembershipOptions } from '@orchester/core';
import type { SlackWebApi } from '../client.js';
import type { DeactivatedAccounts } from '../deactivated-accounts.js';
import { checkResultOf } from '../membership.js';
import { sendChange, type WriteAnswer } from '../write-answer.js';
import type { Door } from './door.js';

type Answer = Record<string, unknown>;

/** A Web API call whose listed `ok:false` codes mean "nothing changed". */
export interface SlackWrite {
  readonly method: string;
  readonly args: Answer;
  readonly unchanged: readonly string[];
}

/** The Web API methods one mode writes with. */
export interface WebApiWrites {
  /** Whether removal keeps the account (so channels must be left first). */
  readonly keepsAccount: boolean;
  invite(email: string, options: MembershipOptions): SlackWrite;
  /**
   * The invitation's `ok:false` codes that say where the person already is; its other `unchanged`
   * code says the e-mail belongs to a deactivated account.
   */
  readonly alreadyMember: readonly string[];
  readonly alreadyInvited: readonly string[];
  /** Its `unchanged` codes say the account is active already. */
  reactivate(userId: string): SlackWrite;
  /** Its `unchanged` codes say the account is gone or deactivated already. */
  remove(userId: string): SlackWrite;
}

async function write(api: SlackWebApi, call: SlackWrite): Promise<WriteAnswer<Answer>> {
  const answer = await api.call(call.method, call.args, call.unchanged);
  return answer.ok ? { changed: true, answer } : { changed: false, why: String(answer.error) };
}

/**
 * admin and legacy modes: users.lookupByEmail finds active people and pending invitations;
 * deactivated ones, which it does not show, come from `deactivated`. An add sends the invitation
 * straight away (its answer says whether the person was there already), so a new person costs one
 * call; a known deactivated account is reactivated instead.
 */
export function webApiDoor(
  reader: SlackWebApi,
  writer: SlackWebApi,
  writes: WebApiWrites,
  deactivated: DeactivatedAccounts,
  leaveChannels: (userId: string) => Promise<void>,
): Door {
  const reactivate = async (email: string, userId: string, attempt: ChangeAttempt) => {
    const call = writes.reactivate(userId);
    const answer = await sendChange(attempt, 'reactivated', () => write(writer, call)).catch(
      (error: unknown) => {
        deactivated.drop();
        throw error;
      },
    );
    deactivated.noteActive(email);
    return answer.changed
      ? ({ outcome: 'reactivated', userId } as const)
      : ({ outcome: 'already-member', userId } as const);
  };

  return {
    async check(email) {
      const found = await reader.lookupByEmail(email);
      if (found) return checkResultOf(found);
      return (await deactivated.find(email))
        ? { state: 'deactivated', detail: 'the Slack account is deactivated' }
        : { state: 'absent' };
    },

    async add(email, options, attempt) {
      const known = await deactivated.find(email);
      if (known) return reactivate(email, known, attempt);
      const answer = await sendChange(attempt, 'invited', () =>
        write(writer, writes.invite(email, options)),
      );
      if (answer.changed) return { outcome: 'invited', detail: 'Slack sent an invitation' };
      if (writes.alreadyMember.includes(answer.why)) return { outcome: 'already-member' };
      if (writes.alreadyInvited.includes(answer.why)) return { outcome: 'already-invited' };
      // Deactivated since the accounts were last read.
      const userId = await deactivated.find(email, true);
      if (!userId) {
        throw new ConflictError(
          `Slack answered ${answer.why} to ${writes.invite(email, options).method}, yet lists no deactivated account with this e-mail`,
          { details: { slackError: answer.why } },
        );
      }
      return reactivate(email, userId, attempt);
    },

    async remove(email, attempt) {
      const found = await reader.lookupByEmail(email);
      const state = checkResultOf(found).state;
      // Not found: absent, or deactivated (which users.lookupByEmail hides); no access either way.
      if (!found || (state !== 'member' && state !== 'invited')) return { outcome: 'not-member' };
      // The account outlives the removal, so it leaves the configured channels first.
      if (writes.keepsAccount && state === 'member') await leaveChannels(found.id);
      const outcome = state === 'invited' ? 'invitation-cancelled' : 'removed';
      const answer = await sendChange(attempt, outcome, () =>
        write(writer, writes.remove(found.id)),
      ).catch((error: unknown) => {
        deactivated.drop();
        throw error;
      });
      if (!answer.changed) return { outcome: 'not-member' };
      if (outcome === 'removed') deactivated.noteDeactivated(email, found.id);
      return { outcome, userId: found.id };
    },
  };
}
