import type { GroupCapability, GroupMembership, MembershipOptions } from '@orchester/core';
import type { Roster, RosterInstance } from './types.js';

/** What a plan does to one person's groups (teams, channels) on one instance. */
export interface GroupChanges {
  /** Groups to join, or whose role changes; a role only where the roster asked for one. */
  readonly join: readonly GroupMembership[];
  /** Groups to leave (only with `prune`). */
  readonly leave: readonly string[];
  /**
   * Roles the add cannot give yet: an e-mail invitation joins its groups with the capability's
   * `invitationRole` only (GitHub), so these come from an apply after the person accepts.
   */
  readonly afterAcceptance?: readonly GroupMembership[];
}

/** `platform:maintainer` → `{ group: 'platform', role: 'maintainer' }`; `web` → `{ group: 'web' }`. */
export function parseGroupEntry(entry: string): GroupMembership {
  const at = entry.lastIndexOf(':');
  if (at <= 0) return { group: entry };
  return { group: entry.slice(0, at), role: entry.slice(at + 1) };
}

/** The option value `add` takes for `groups`: `name` or `name:role`. */
export function groupEntries(groups: readonly GroupMembership[]): string[] {
  return groups.map((g) => (g.role ? `${g.group}:${g.role}` : g.group));
}

/** The groups an assignment's options ask for, by name; undefined when it names none. */
export function desiredGroups(
  options: MembershipOptions,
  capability: GroupCapability,
): Map<string, string | undefined> | undefined {
  const raw = options[capability.joinOption];
  if (!Array.isArray(raw)) return undefined;
  const wanted = new Map<string, string | undefined>();
  for (const entry of raw) {
    if (typeof entry !== 'string') continue;
    const { group, role } = parseGroupEntry(entry);
    wanted.set(group, role);
  }
  return wanted;
}

/**
 * The groups a roster manages on one instance: every group any person's assignment there names.
 * Groups the roster never names are left alone, as members the roster does not know are
 * without `prune`.
 */
export function managedGroups(
  roster: Roster,
  inst: RosterInstance,
  capability: GroupCapability | undefined,
): string[] {
  if (!capability) return [];
  const names = new Set<string>();
  for (const person of roster.people) {
    const assignment = person.assignments.find((a) => a.instance === inst.name);
    if (!assignment) continue;
    for (const group of desiredGroups(assignment.options, capability)?.keys() ?? []) {
      names.add(group);
    }
  }
  return [...names].sort();
}

/**
 * What changes one member's groups to what the roster asks: joins for groups they are not in
 * (or in with another role, where the roster names one), and, with `prune`, leaves for managed
 * groups the roster does not give them. A group without a role in the roster accepts any role.
 */
export function diffGroups(
  wanted: ReadonlyMap<string, string | undefined>,
  current: readonly GroupMembership[],
  managed: readonly string[],
  prune: boolean,
): GroupChanges {
  const now = new Map(current.map((g) => [g.group, g.role]));
  const join: GroupMembership[] = [];
  for (const [group, role] of wanted) {
    if (!now.has(group) || (role !== undefined && now.get(group) !== role)) {
      join.push(role === undefined ? { group } : { group, role });
    }
  }
  const leave = prune ? managed.filter((g) => now.has(g) && !wanted.has(g)) : [];
  return { join, leave };
}

/** True when `changes` changes nothing. */
export function noGroupChanges(changes: GroupChanges): boolean {
  return changes.join.length === 0 && changes.leave.length === 0;
}

/**
 * The joins an e-mail invitation can carry: roles other than `invitationRole` become that role
 * now and an `afterAcceptance` entry, so the plan does not promise what the invitation cannot do.
 */
export function invitationJoins(
  join: readonly GroupMembership[],
  invitationRole: string,
): GroupChanges {
  const later = join.filter((g) => g.role !== undefined && g.role !== invitationRole);
  return {
    join: join.map((g) => (later.includes(g) ? { group: g.group, role: invitationRole } : g)),
    leave: [],
    ...(later.length > 0 ? { afterAcceptance: later } : {}),
  };
}
