import { ConflictError } from '@orchester/core';
import { type SlackScimApi, scimUserName } from '../scim-api.js';
import type { WriteDoor } from './door.js';

/** Business+ and Enterprise: SCIM v2 creates, deactivates (DELETE) and reactivates (PATCH) accounts. */
export function scimDoor(scim: SlackScimApi): WriteDoor {
  return {
    keepsAccount: false,
    async add(email, options, _found, attempt) {
      const existing = await scim.findByEmail(email);
      if (existing?.active) return { outcome: 'already-member', userId: existing.id };
      if (existing) {
        if (await attempt.change('reactivated', () => scim.reactivate(existing.id)))
          return { outcome: 'reactivated', userId: existing.id };
      }
      const created = await attempt.change('added', () => scim.create(email, options.fullName));
      if (created === 'exists') {
        // 409: an earlier delivery created the account, or the user name belongs to someone else.
        const now = await scim.findByEmail(email);
        if (now?.active) return { outcome: 'already-member', userId: now.id };
        throw new ConflictError(
          `Slack SCIM refused to create the account: the user name "${scimUserName(email)}" is taken by another account`,
        );
      }
      return { outcome: 'added', userId: created.id };
    },
    async remove(email, _found, attempt) {
      const existing = await scim.findByEmail(email);
      if (!existing?.active) return { outcome: 'not-member' };
      return (await attempt.change('removed', () => scim.deactivate(existing.id)))
        ? { outcome: 'removed', userId: existing.id }
        : { outcome: 'not-member' };
    },
  };
}
