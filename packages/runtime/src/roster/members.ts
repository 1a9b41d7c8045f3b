import type { AnyConnector, MemberRecord } from '@orchester/core';
import type { InstanceResolver } from '../run-membership-job.js';
import type { PersonRef } from './jobs.js';
import type { RosterSource } from './load-roster.js';
import { readSnapshots, type SnapshotOptions } from './snapshot.js';
import type { Roster, RosterPerson } from './types.js';

/** One member or pending invitation of one instance, as `orchest members` shows it. */
export interface MemberEntry {
  readonly instance: string;
  readonly type: string;
  /** The identifier orchester uses for them there (login, e-mail, username). */
  readonly identifier: string;
  /** Their display name on the service, where it shows one. */
  readonly name?: string;
  readonly state: MemberRecord['state'];
  readonly role?: string;
  /** Since when they are a member or invited (ISO 8601), where the service says. */
  readonly since?: string;
  /** The e-mail the service shows for them (the identifier or one of its aliases), lower-cased. */
  readonly email?: string;
  /** Other names the service knows them by (e-mail, user id). */
  readonly aliases: readonly string[];
  /** The roster person they are, when a roster was given and one matches. */
  readonly person?: PersonRef;
  /** Why orchester can never remove them (an owner), when so. */
  readonly protected?: string;
}

/** Everyone on one instance. */
export interface InstanceMembers {
  readonly instance: string;
  readonly type: string;
  /** False when the connector cannot list its members: then `members` is empty and says nothing. */
  readonly listed: boolean;
  readonly members: readonly MemberEntry[];
}

export interface ReadMembersOptions extends SnapshotOptions {
  /** Names each member after the roster person they are. */
  readonly roster?: Roster;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The key a service name compares by: the connector's own normalization (lower-casing e-mails...). */
function normalizeKey(connector: AnyConnector, raw: string): string {
  const parsed = connector.identifierSchema.safeParse(raw.trim());
  return parsed.success ? (parsed.data as string) : raw.trim();
}

/**
 * The names a roster person may have on an instance: the roster's own keys for the instances it
 * names, else the identity given for the instance or its type, and the e-mail.
 */
function keysOf(person: RosterPerson, instance: string, type: string): string[] {
  const known = person.keys.get(instance);
  if (known) return [...known];
  return [person.identities[instance], person.identities[type], person.email].filter(
    (k): k is string => !!k,
  );
}

/** The roster people of an instance by every name they may have there. */
function peopleByKey(
  roster: Roster | undefined,
  instance: string,
  type: string,
  connector: AnyConnector,
): Map<string, RosterPerson> {
  const byKey = new Map<string, RosterPerson>();
  for (const person of roster?.people ?? []) {
    for (const key of keysOf(person, instance, type)) {
      const k = normalizeKey(connector, key);
      if (!byKey.has(k)) byKey.set(k, person);
    }
  }
  return byKey;
}

/**
 * Every member and pending invitation of each instance, read the way `plan` reads them (one
 * paginated `list()` per instance through `readSnapshots`: the same retries, deadline, limits
 * and cost), sorted by identifier, each named after its roster person when `options.roster`
 * is given.
 */
export async function readMembers(
  instances: readonly string[],
  source: RosterSource & InstanceResolver,
  options: ReadMembersOptions = {},
): Promise<InstanceMembers[]> {
  const typeOf = (name: string) => source.config.instances.get(name)?.type ?? '';
  // No people and no prune: a connector that cannot list is read by nobody's check, for nothing.
  const snapshots = await readSnapshots(
    {
      file: options.roster?.file ?? '',
      instances: instances.map((name) => ({
        name,
        type: typeOf(name),
        prune: false,
        maxRemovalRatio: 1,
        minAdmins: 0,
        adminRole: undefined,
      })),
      people: [],
    },
    source,
    options,
  );
  return Promise.all(
    instances.map(async (instance): Promise<InstanceMembers> => {
      const type = typeOf(instance);
      const snapshot = snapshots.get(instance)!;
      const connector = await source.connectorOf(instance);
      const people = peopleByKey(options.roster, instance, type, connector);
      const members = snapshot.records
        .map((record): MemberEntry => {
          const names = [record.identifier, ...(record.aliases ?? [])];
          const email = names.find((n) => EMAIL.test(n))?.toLowerCase();
          const person = names
            .map((n) => people.get(normalizeKey(connector, n)))
            .find((p) => p !== undefined);
          return {
            instance,
            type,
            identifier: record.identifier,
            ...(record.name ? { name: record.name } : {}),
            state: record.state,
            ...(record.role !== undefined ? { role: record.role } : {}),
            ...(record.since !== undefined ? { since: record.since } : {}),
            ...(email ? { email } : {}),
            aliases: record.aliases ?? [],
            ...(person ? { person: { name: person.name, email: person.email } } : {}),
            ...(record.protected ? { protected: record.protected } : {}),
          };
        })
        .sort((a, b) => a.identifier.localeCompare(b.identifier));
      return { instance, type, listed: snapshot.how === 'list', members };
    }),
  );
}
