import type { AnyConnector, MemberRecord } from '@orchester/core';
import type { RosterSource } from '../roster/load-roster.js';
import { readSnapshots, type SnapshotOptions } from '../roster/snapshot.js';
import type { Roster, RosterPerson } from '../roster/types.js';
import type { InstanceResolver } from '../run-membership-job.js';

/** The version of the snapshot file's shape; a newer file is refused rather than misread. */
export const REVIEW_SNAPSHOT_VERSION = 1;

/** One member, pending invitation or deactivated account of one instance, at review time. */
export interface ReviewEntry {
  readonly instance: string;
  readonly type: string;
  readonly identifier: string;
  readonly state: MemberRecord['state'];
  readonly role?: string;
  /** Since when they are a member or invited (ISO 8601), where the service says. */
  readonly since?: string;
  /** The e-mail the service shows for them (identifier or alias), lower-cased. */
  readonly email?: string;
  /** The roster person they are, when a roster was given and one matches. */
  readonly person?: { readonly name: string; readonly email: string };
  /** Why orchester can never remove them (an owner). */
  readonly protected?: string;
}

export interface ReviewInstance {
  readonly instance: string;
  readonly type: string;
  /** False when the connector cannot list: then only roster people were checked one by one. */
  readonly listed: boolean;
  readonly entries: readonly ReviewEntry[];
}

/** Every configured instance's members at one time: what `orchest review` saves and compares. */
export interface ReviewSnapshot {
  readonly version: typeof REVIEW_SNAPSHOT_VERSION;
  /** When the services were read (ISO 8601, UTC). */
  readonly takenAt: string;
  /** The roster file people were matched against, if any. */
  readonly roster?: string;
  readonly instances: readonly ReviewInstance[];
}

export interface TakeReviewSnapshotOptions extends SnapshotOptions {
  /** Names each entry after its roster person. */
  readonly roster?: Roster;
  /** The time the snapshot is stamped with (ms); default: `clock.now()` or now. */
  readonly now?: number;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function normalizeKey(connector: AnyConnector, raw: string): string {
  const parsed = connector.identifierSchema.safeParse(raw.trim());
  return parsed.success ? (parsed.data as string) : raw.trim();
}

/** The names a roster person may have on an instance, as plans match them. */
function keysOf(person: RosterPerson, instance: string, type: string): string[] {
  const known = person.keys.get(instance);
  if (known) return [...known];
  return [person.identities[instance], person.identities[type], person.email].filter(
    (k): k is string => !!k,
  );
}

/**
 * Reads every instance the way `plan` does (`readSnapshots`: one paginated `list()` each, the
 * same retries, deadline and limits; roster people checked one by one where a connector cannot
 * list) and names each entry after its roster person.
 */
export async function takeReviewSnapshot(
  instances: readonly string[],
  source: RosterSource & InstanceResolver,
  options: TakeReviewSnapshotOptions = {},
): Promise<ReviewSnapshot> {
  const typeOf = (name: string) => source.config.instances.get(name)?.type ?? '';
  const roster = options.roster;
  const snapshots = await readSnapshots(
    {
      file: roster?.file ?? '',
      instances: instances.map((name) => ({
        name,
        type: typeOf(name),
        prune: false,
        maxRemovalRatio: 1,
        minAdmins: 0,
        adminRole: undefined,
      })),
      // Only people the roster assigns to an instance are checked there when it cannot list.
      people: roster?.people ?? [],
    },
    source,
    options,
  );
  const takenAt = new Date(options.now ?? options.clock?.now() ?? Date.now()).toISOString();
  const read = await Promise.all(
    instances.map(async (instance): Promise<ReviewInstance> => {
      const type = typeOf(instance);
      const connector = await source.connectorOf(instance);
      const people = new Map<string, RosterPerson>();
      for (const person of roster?.people ?? []) {
        for (const key of keysOf(person, instance, type)) {
          const k = normalizeKey(connector, key);
          if (!people.has(k)) people.set(k, person);
        }
      }
      const snapshot = snapshots.get(instance)!;
      const entries = snapshot.records
        .map((record): ReviewEntry => {
          const names = [record.identifier, ...(record.aliases ?? [])];
          const email = names.find((n) => EMAIL.test(n))?.toLowerCase();
          const person = names
            .map((n) => people.get(normalizeKey(connector, n)))
            .find((p) => p !== undefined);
          return {
            instance,
            type,
            identifier: record.identifier,
            state: record.state,
            ...(record.role !== undefined ? { role: record.role } : {}),
            ...(record.since !== undefined ? { since: record.since } : {}),
            ...(email ? { email } : {}),
            ...(person ? { person: { name: person.name, email: person.email } } : {}),
            ...(record.protected ? { protected: record.protected } : {}),
          };
        })
        .sort((a, b) => a.identifier.localeCompare(b.identifier));
      return { instance, type, listed: snapshot.how === 'list', entries };
    }),
  );
  return {
    version: REVIEW_SNAPSHOT_VERSION,
    takenAt,
    ...(roster ? { roster: roster.file } : {}),
    instances: read,
  };
}
