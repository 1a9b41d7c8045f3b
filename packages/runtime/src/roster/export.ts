import type { AnyConnector } from '@orchester/core';
import type { MemberEntry } from './members.js';
import type { Roster } from './types.js';

/** One person of an exported roster, in the roster file's own shape. */
export interface ExportedPerson {
  readonly name: string;
  readonly email: string;
  readonly identities?: Readonly<Record<string, string>>;
  /** By instance: the role today, or null where the role is one orchester cannot give (an owner). */
  readonly access: Readonly<Record<string, string | null>>;
}

/** Today's state as a roster file: `orchest plan` on it finds nothing to change. */
export interface ExportedRoster {
  readonly instances: Readonly<Record<string, { readonly prune: false }>>;
  readonly people: readonly ExportedPerson[];
}

/** A person the services show no e-mail for, given a stand-in address to replace. */
export interface StandInEmail {
  readonly person: string;
  readonly email: string;
  readonly instance: string;
  readonly identifier: string;
}

export interface RosterExport {
  readonly roster: ExportedRoster;
  /** Where a person got a stand-in e-mail (`LOGIN@INSTANCE.invalid`; `.invalid` is never a real domain). */
  readonly standIns: readonly StandInEmail[];
  /** Deactivated accounts, left out: a roster entry would plan their reactivation. */
  readonly deactivated: number;
  /**
   * People of the roster exported against (`mergeRoster`) by e-mail, with the access they have
   * today, for the merge to compare with what the roster already says.
   */
  readonly matched: ReadonlyMap<string, ExportedPerson>;
}

interface Draft {
  name: string;
  email: string;
  realEmail: boolean;
  /** By instance: the identifier when it is not the e-mail. */
  byInstance: Map<string, { type: string; identifier: string }>;
  access: Record<string, string | null>;
  rosterEmail?: string;
}

/**
 * `members` (every instance's, from `readMembers`) as a roster: one person per e-mail the
 * services show, else per account (login, username) on each connector type; identities where
 * the service knows them by something else than the e-mail, keyed by connector type unless the
 * person's instances of a type disagree; each instance `prune: false`; no groups. Members read
 * against a roster (`readMembers({roster})`) keep their roster person's e-mail.
 */
export function exportRoster(
  members: readonly {
    readonly instance: string;
    readonly type: string;
    readonly members: readonly MemberEntry[];
  }[],
  connectorOf: ReadonlyMap<string, AnyConnector>,
): RosterExport {
  const drafts = new Map<string, Draft>();
  let deactivated = 0;
  for (const inst of members) {
    const connector = connectorOf.get(inst.instance);
    for (const entry of inst.members) {
      if (entry.state === 'deactivated') {
        deactivated += 1;
        continue;
      }
      const email = entry.person?.email ?? entry.email;
      const key = email ?? `${inst.type}\u0000${entry.identifier}`;
      let draft = drafts.get(key);
      if (!draft) {
        draft = {
          name: entry.name?.trim() || (email ?? entry.identifier),
          email: email ?? `${entry.identifier}@${inst.instance}.invalid`.toLowerCase(),
          realEmail: email !== undefined,
          byInstance: new Map(),
          access: {},
          ...(entry.person ? { rosterEmail: entry.person.email } : {}),
        };
        drafts.set(key, draft);
      }
      // The first name a service shows wins over an e-mail or login standing in for one.
      if (entry.name?.trim() && (draft.name === draft.email || draft.name === entry.identifier)) {
        draft.name = entry.name.trim();
      }
      const givable =
        entry.role !== undefined && connector?.capabilities.roles.includes(entry.role);
      draft.access[inst.instance] = givable ? entry.role! : null;
      if (entry.identifier !== email) {
        draft.byInstance.set(inst.instance, { type: inst.type, identifier: entry.identifier });
      }
    }
  }

  const people: ExportedPerson[] = [];
  const standIns: StandInEmail[] = [];
  const matched = new Map<string, ExportedPerson>();
  const names = new Set<string>();
  for (const draft of drafts.values()) {
    let name = draft.name;
    const [firstInstance] = Object.keys(draft.access);
    // A roster names each person once (any case): a second "Ada" becomes "Ada (slack)", a third
    // "Ada (slack 2)".
    for (let n = 1; names.has(name.toLowerCase()); n++) {
      name = `${draft.name} (${firstInstance}${n > 1 ? ` ${n}` : ''})`;
    }
    names.add(name.toLowerCase());
    const identities = identitiesOf(draft);
    const person: ExportedPerson = {
      name,
      email: draft.email,
      ...(Object.keys(identities).length > 0 ? { identities } : {}),
      access: sortedKeys(draft.access),
    };
    if (draft.rosterEmail) {
      matched.set(draft.rosterEmail, person);
      continue;
    }
    people.push(person);
    if (!draft.realEmail) {
      const [instance, { identifier }] = [...draft.byInstance][0]!;
      standIns.push({ person: name, email: draft.email, instance, identifier });
    }
  }
  people.sort((a, b) => a.email.localeCompare(b.email));
  const instances = Object.fromEntries(
    members.map((m) => [m.instance, { prune: false as const }]).sort(([a], [b]) => cmp(a, b)),
  );
  return { roster: { instances, people }, standIns, deactivated, matched };
}

const cmp = (a: unknown, b: unknown) => String(a).localeCompare(String(b));

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => cmp(a, b)));
}

/**
 * The identifiers of a person as `identities`: by connector type where every instance of that
 * type knows them by the same one, else by instance name.
 */
function identitiesOf(draft: Draft): Record<string, string> {
  const byType = new Map<string, Set<string>>();
  for (const { type, identifier } of draft.byInstance.values()) {
    byType.set(type, (byType.get(type) ?? new Set()).add(identifier));
  }
  const out: Record<string, string> = {};
  for (const [instance, { type, identifier }] of draft.byInstance) {
    if (byType.get(type)!.size === 1) out[type] = identifier;
    else out[instance] = identifier;
  }
  return sortedKeys(out);
}

/** What a merge must write for one roster person so the roster says what the services have. */
export interface AccessUpdate {
  /** The person's index in the roster's `people`. */
  readonly index: number;
  readonly instance: string;
  readonly role: string | null;
  /** What the roster gave them there before: a role, or undefined for nothing. */
  readonly was: string | undefined;
}

/**
 * The access updates that make a roster's people match today's (`matched` from `exportRoster`
 * against that roster): an instance where they are and the roster gives them nothing, or a
 * different role. Nothing is taken away: an assignment the services lack stays (plan shows it).
 */
export function accessUpdates(
  roster: Roster,
  matched: ReadonlyMap<string, ExportedPerson>,
): AccessUpdate[] {
  const updates: AccessUpdate[] = [];
  roster.people.forEach((person, index) => {
    const today = matched.get(person.email);
    if (!today) return;
    for (const [instance, role] of Object.entries(today.access)) {
      const assigned = person.assignments.find((a) => a.instance === instance);
      if (assigned && (role === null || assigned.role === role)) continue;
      updates.push({ index, instance, role, was: assigned?.role });
    }
  });
  return updates;
}
