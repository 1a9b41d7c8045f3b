import type { SlackScimApi } from '../scim-api.js';
import type { WriteDoor } from './door.js';

/** Business+ and Enterprise: SCIM v2 creates, deactivates (DELETE) and reactivates (PATCH) accounts. */
export function scimDoor(scim: SlackScimApi): WriteDoor {
  return {
    keepsAccount: false,
    async add(email, options) {
      const existing = await scim.findByEmail(email);
      if (existing?.active) return { outcome: 'already-member', userId: existing.id };
      if (existing) {
        if (await scim.reactivate(existing.id))
          return { outcome: 'reactivated', userId: existing.id };
      }
      const created = await scim.create(email, options.fullName);
      if (created === 'exists') {
        const now = await scim.findByEmail(email);
        return now?.active
          ? { outcome: 'already-member', userId: now.id }
          : { outcome: 'already-member' };
      }
      return { outcome: 'added', userId: created.id };
    },
    async remove(email) {
      const existing = await scim.findByEmail(email);
      if (!existing?.active) return { outcome: 'not-member' };
      return (await scim.deactivate(existing.id))
        ? { outcome: 'removed', userId: existing.id }
        : { outcome: 'not-member' };
    },
  };
}
