/**
 * What orchester remembers of who an e-mail address is on one instance: the service's own id for
 * the account the e-mail became. Some services never show other people's e-mail addresses
 * (Trello), so the moment orchester invites an e-mail, and the service answers with the member it
 * made, is the only moment it can learn that; later `check`/`remove` by e-mail look it up here.
 */
export interface IdentityMap {
  /** The service id recorded for `email` (lower-case) on this instance, if any. */
  get(email: string): Promise<string | undefined>;
  /** Records (or replaces) the service id of `email`. Durable once the promise resolves. */
  set(email: string, id: string): Promise<void>;
  delete(email: string): Promise<void>;
  /** Every e-mail recorded for this instance, with its id. */
  entries(): Promise<ReadonlyMap<string, string>>;
}

/** One recorded e-mail, as `orchest audit --identities` lists them. */
export interface IdentityEntry {
  readonly instance: string;
  readonly email: string;
  readonly id: string;
}

/** The identity maps of every instance, kept in one place (a file, or Redis). */
export interface IdentityStore {
  /** The map of one instance; entries of different instances never mix. */
  forInstance(instance: string): IdentityMap;
  /** Every entry of every instance, sorted by instance and e-mail. */
  list(): Promise<IdentityEntry[]>;
}

/** Sorted by instance, then e-mail. */
export function sortIdentityEntries(entries: IdentityEntry[]): IdentityEntry[] {
  return entries.sort((a, b) =>
    a.instance === b.instance
      ? a.email.localeCompare(b.email)
      : a.instance.localeCompare(b.instance),
  );
}
