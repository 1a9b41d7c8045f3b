import type { AnyConnector, MemberRecord, MembershipState } from '@orchester/core';
import type { InstanceResolver } from '../run-membership-job.js';
import { readSnapshots, type SnapshotOptions } from './snapshot.js';
import type { Roster, RosterPerson } from './types.js';

/** Where one identifier stands on one instance now. */
export interface MembershipNow {
  readonly state: MembershipState;
  readonly role?: string;
  /** The service's own identifier when it knows the person (another key may have matched). */
  readonly identifier?: string;
}

/** Answers where identifiers stand on one instance; `keys` are tried in order. */
export type MembershipLookup = (keys: readonly string[]) => MembershipNow;

/** The identifiers whose membership is wanted, by instance. */
export type MembershipTargets = ReadonlyMap<string, readonly string[]>;

/**
 * Where each target stands now, read as `plan` reads: one snapshot per instance (one paginated
 * `list()`, or one `check` per target where the connector cannot list), retried like jobs within
 * the deadline. Instances without targets are not read.
 */
export async function readMemberships(
  targets: MembershipTargets,
  resolver: InstanceResolver,
  options: SnapshotOptions = {},
): Promise<Map<string, MembershipLookup>> {
  // The snapshot reader takes a roster: one "person" per target, nothing pruned.
  const instances = [...targets.keys()].sort();
  const people: RosterPerson[] = [];
  for (const instance of instances) {
    for (const identifier of new Set(targets.get(instance))) {
      people.push({
        name: identifier,
        email: '',
        identities: {},
        groups: [],
        assignments: [{ instance, identifier, role: undefined, options: {} }],
        keys: new Map([[instance, [identifier]]]),
      });
    }
  }
  const roster: Roster = {
    file: '(saved plan)',
    instances: instances.map((name) => ({
      name,
      type: '',
      prune: false,
      maxRemovalRatio: 1,
      minAdmins: 0,
      adminRole: undefined,
    })),
    people,
  };
  const snapshots = await readSnapshots(roster, resolver, options);
  const lookups = new Map<string, MembershipLookup>();
  for (const instance of instances) {
    const connector = await resolver.connectorOf(instance);
    lookups.set(instance, lookupOf(connector, snapshots.get(instance)!.records));
  }
  return lookups;
}

/** The key a service name compares by: the connector's own normalization (lower-casing e-mails...). */
export function normalizeKey(connector: AnyConnector, raw: string): string {
  const parsed = connector.identifierSchema.safeParse(raw.trim());
  return parsed.success ? (parsed.data as string) : raw.trim();
}

function lookupOf(connector: AnyConnector, records: readonly MemberRecord[]): MembershipLookup {
  const byKey = new Map<string, MemberRecord>();
  for (const record of records) {
    for (const key of [record.identifier, ...(record.aliases ?? [])]) {
      const k = normalizeKey(connector, key);
      if (!byKey.has(k)) byKey.set(k, record);
    }
  }
  return (keys) => {
    for (const key of keys) {
      const record = byKey.get(normalizeKey(connector, key));
      if (record)
        return {
          state: record.state,
          identifier: record.identifier,
          ...(record.role ? { role: record.role } : {}),
        };
    }
    return { state: 'absent' };
  };
}
