import {
  type IdentityEntry,
  type IdentityMap,
  type IdentityStore,
  sortIdentityEntries,
} from './identity-map.js';

/** Identity maps held in memory: for tests, and for hosts that keep nothing between runs. */
export class MemoryIdentityStore implements IdentityStore {
  private readonly byInstance = new Map<string, Map<string, string>>();

  private mapOf(instance: string): Map<string, string> {
    let map = this.byInstance.get(instance);
    if (!map) {
      map = new Map();
      this.byInstance.set(instance, map);
    }
    return map;
  }

  forInstance(instance: string): IdentityMap {
    const map = () => this.mapOf(instance);
    return {
      get: async (email) => map().get(email),
      set: async (email, id) => {
        map().set(email, id);
      },
      delete: async (email) => {
        map().delete(email);
      },
      entries: async () => new Map(map()),
    };
  }

  async list(): Promise<IdentityEntry[]> {
    const all: IdentityEntry[] = [];
    for (const [instance, map] of this.byInstance)
      for (const [email, id] of map) all.push({ instance, email, id });
    return sortIdentityEntries(all);
  }
}
