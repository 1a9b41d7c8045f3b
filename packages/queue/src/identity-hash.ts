import {
  type IdentityEntry,
  type IdentityMap,
  type IdentityStore,
  sortIdentityEntries,
} from '@orchester/core';
import { identitiesKey } from './keys.js';
import type { RedisClient } from './redis.js';

// Instance names are lower-case letters, digits and dashes: `|` cannot be one of their characters.
const fieldOf = (instance: string, email: string) => `${instance}|${email}`;

function entryOf(field: string, id: string): IdentityEntry | undefined {
  const bar = field.indexOf('|');
  if (bar <= 0) return undefined;
  return { instance: field.slice(0, bar), email: field.slice(bar + 1), id };
}

/**
 * The identity maps of queued work: one Redis hash under the `{prefix}` slot, shared by every
 * worker and by queued commands, so an e-mail invited by one worker can be removed through another.
 */
export class RedisIdentityStore implements IdentityStore {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.key = identitiesKey(prefix);
  }

  forInstance(instance: string): IdentityMap {
    return {
      get: async (email) =>
        (await this.redis.hget(this.key, fieldOf(instance, email))) ?? undefined,
      set: async (email, id) => {
        await this.redis.hset(this.key, fieldOf(instance, email), id);
      },
      delete: async (email) => {
        await this.redis.hdel(this.key, fieldOf(instance, email));
      },
      entries: async () => {
        const found = new Map<string, string>();
        let cursor = '0';
        do {
          const [next, flat] = await this.redis.hscan(
            this.key,
            cursor,
            'MATCH',
            `${instance}|*`,
            'COUNT',
            500,
          );
          for (let i = 0; i + 1 < flat.length; i += 2) {
            const entry = entryOf(flat[i]!, flat[i + 1]!);
            if (entry?.instance === instance) found.set(entry.email, entry.id);
          }
          cursor = next;
        } while (cursor !== '0');
        return found;
      },
    };
  }

  async list(): Promise<IdentityEntry[]> {
    const all = await this.redis.hgetall(this.key);
    return sortIdentityEntries(
      Object.entries(all)
        .map(([field, id]) => entryOf(field, id))
        .filter((e): e is IdentityEntry => e !== undefined),
    );
  }
}
