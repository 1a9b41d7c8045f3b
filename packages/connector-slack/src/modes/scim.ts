import { ConflictError } from '@orchester/core';
import type { SlackWebApi } from '../client.js';
import { checkResultOf } from '../membership.js';
import { emailsOf, type SlackScimApi, scimUserName } from '../scim-api.js';
import { sendChange } from '../write-answer.js';
import type { Door } from './door.js';

/**
 * Business+ and Enterprise: SCIM v2 creates, deactivates (DELETE) and reactivates (PATCH) accounts.
 * SCIM shows deactivated accounts (`active: false`), so it answers for them where
 * users.lookupByEmail does not.
 */
export function scimDoor(reader: SlackWebApi, scim: SlackScimApi): Door {
  return {
    async check(email) {
      const found = await reader.lookupByEmail(email);
      if (found) return checkResultOf(found);
      const account = await scim.findByEmail(email);
      if (!account) return { state: 'absent' };
      return account.active
        ? { state: 'member', role: 'member' }
        : { state: 'deactivated', detail: 'the Slack account is deactivated' };
    },

    async add(email, options, attempt) {
      const existing = await scim.findByEmail(email);
      if (existing?.active) return { outcome: 'already-member', userId: existing.id };
      if (existing) {
        const answer = await sendChange(attempt, 'reactivated', () => scim.reactivate(existing.id));
        if (answer.changed) return { outcome: 'reactivated', userId: existing.id };
      }
      const created = await sendChange(attempt, 'added', () =>
        scim.create(email, options.fullName),
      );
      if (created.changed) return { outcome: 'added', userId: created.answer.id };
      // 409: someone (or an earlier delivery of this job) created the account, or the user name is taken.
      const now = await scim.findByEmail(email);
      if (now?.active && emailsOf(now).includes(email))
        return { outcome: 'already-member', userId: now.id };
      throw new ConflictError(
        `Slack SCIM refused to create the account: the user name "${scimUserName(email)}" is taken by another account`,
      );
    },

    async remove(email, attempt) {
      const existing = await scim.findByEmail(email);
      if (!existing?.active) return { outcome: 'not-member' };
      const answer = await sendChange(attempt, 'removed', () => scim.deactivate(existing.id));
      return answer.changed
        ? { outcome: 'removed', userId: existing.id }
        : { outcome: 'not-member' };
    },
  };
}
