import type { MemberRecord } from '@orchester/core';
import type { InstanceResolver } from '../run-membership-job.js';
import {
  desiredGroups,
  diffGroups,
  type GroupChanges,
  groupEntries,
  invitationJoins,
  managedGroups,
  noGroupChanges,
} from './groups.js';
import { checkGuards } from './guard.js';
import { normalizeKey } from './memberships-now.js';
import {
  type InstancePlan,
  PLAN_CHANGE_KINDS,
  PLAN_KEEP_KINDS,
  type Plan,
  type PlanChange,
  type PlanChangeKind,
  type PlanEntry,
  type PlanKeepKind,
} from './plan-types.js';
import { readSnapshots, type Snapshot, type SnapshotOptions } from './snapshot.js';
import type { Roster, RosterInstance, RosterPerson } from './types.js';

type Counts = Record<PlanChangeKind | PlanKeepKind, number>;

function zeroCounts(): Counts {
  return Object.fromEntries(
    [...PLAN_CHANGE_KINDS, ...PLAN_KEEP_KINDS].map((k) => [k, 0]),
  ) as Counts;
}

async function planInstance(
  roster: Roster,
  inst: RosterInstance,
  resolver: InstanceResolver,
  { records, how: snapshot }: Snapshot,
): Promise<InstancePlan> {
  const connector = await resolver.connectorOf(inst.name);
  const groupCapability = connector.capabilities.groups;
  // Groups are read only by a listing; a snapshot of checks knows nothing of them.
  const managed = snapshot === 'list' ? managedGroups(roster, inst, groupCapability) : [];

  const byKey = new Map<string, MemberRecord>();
  for (const record of records) {
    for (const key of [record.identifier, ...(record.aliases ?? [])]) {
      const k = normalizeKey(connector, key);
      if (!byKey.has(k)) byKey.set(k, record);
    }
  }

  const claimed = new Set<MemberRecord>();
  const strangers = new Map<MemberRecord, { name: string; email: string }>();
  const changes: PlanChange[] = [];
  const kept: PlanEntry<PlanKeepKind>[] = [];
  const who = (p: RosterPerson) => ({ name: p.name, email: p.email });
  for (const person of roster.people) {
    const assignment = person.assignments.find((a) => a.instance === inst.name);
    const keys = person.keys.get(inst.name) ?? [];
    let record: MemberRecord | undefined;
    for (const key of assignment ? [assignment.identifier, ...keys] : keys) {
      record = byKey.get(key);
      if (record) break;
    }
    if (!assignment) {
      // In the roster but not assigned here: with prune they go, and the audit names them.
      if (record) strangers.set(record, who(person));
      continue;
    }
    if (record) claimed.add(record);
    const wanted =
      groupCapability && managed.length > 0
        ? (desiredGroups(assignment.options, groupCapability) ?? new Map<string, undefined>())
        : undefined;
    const joins = wanted
      ? [...wanted].map(([group, role]) => (role ? { group, role } : { group }))
      : [];
    const joining: GroupChanges | undefined =
      joins.length === 0
        ? undefined
        : groupCapability?.invitationRole !== undefined && assignment.identifier.includes('@')
          ? invitationJoins(joins, groupCapability.invitationRole)
          : { join: joins, leave: [] };
    // A member's groups: what it takes to get from the listed ones to the roster's.
    const groups =
      wanted && record?.state === 'member' && record.groups
        ? diffGroups(wanted, record.groups, managed, inst.prune)
        : undefined;
    const groupOptions =
      groupCapability && groups
        ? {
            [groupCapability.joinOption]: groupEntries(groups.join),
            ...(groups.leave.length > 0 ? { [groupCapability.leaveOption]: groups.leave } : {}),
          }
        : {};
    const base = {
      instance: inst.name,
      identifier: record?.identifier ?? assignment.identifier,
      person: who(person),
      ...(record?.role ? { fromRole: record.role } : {}),
    };
    if (!record) {
      changes.push({
        ...base,
        identifier: assignment.identifier,
        kind: 'add',
        from: 'absent',
        ...(assignment.role ? { toRole: assignment.role } : {}),
        options: assignment.options,
        ...(joining ? { groups: joining } : {}),
      });
    } else if (record.state === 'deactivated') {
      changes.push({
        ...base,
        kind: 'reactivate',
        from: 'deactivated',
        ...(assignment.role ? { toRole: assignment.role } : {}),
        options: assignment.options,
        ...(joining ? { groups: joining } : {}),
      });
    } else if (record.state === 'invited') {
      kept.push({ ...base, kind: 'pending', from: 'invited' });
    } else if (
      assignment.role !== undefined &&
      record.role !== undefined &&
      record.role !== assignment.role &&
      // A role orchester cannot give (Drive's owner, Slack's owner or admin) is not one `add`
      // can take away either: planning a change there would never converge.
      connector.capabilities.roles.includes(record.role)
    ) {
      changes.push({
        ...base,
        kind: 'change-role',
        from: 'member',
        toRole: assignment.role,
        options: { ...assignment.options, ...groupOptions },
        ...(groups && !noGroupChanges(groups) ? { groups } : {}),
      });
    } else if (groups && !noGroupChanges(groups)) {
      // The role is right (or one no `add` can change): only their teams or channels change.
      changes.push({
        ...base,
        kind: 'change-groups',
        from: 'member',
        options: groupOptions,
        groups,
      });
    } else {
      kept.push({ ...base, kind: 'in-place', from: 'member' });
    }
  }

  let unmanaged = 0;
  for (const record of records) {
    if (claimed.has(record) || record.state === 'deactivated') continue;
    // A member the service never lets go (an owner) stays, as if prune were off for them.
    if (!inst.prune || record.protected) {
      unmanaged += 1;
      continue;
    }
    const person = strangers.get(record);
    changes.push({
      instance: inst.name,
      kind: record.state === 'invited' ? 'cancel-invitation' : 'remove',
      identifier: record.identifier,
      ...(person ? { person } : {}),
      from: record.state,
      ...(record.role ? { fromRole: record.role } : {}),
    });
  }

  const members = records.filter((r) => r.state === 'member');
  const admins =
    inst.adminRole === undefined
      ? undefined
      : members.filter((r) => r.role === inst.adminRole).length;
  let adminsAfter = admins;
  if (adminsAfter !== undefined) {
    for (const c of changes) {
      if (c.from !== 'member') continue;
      const wasAdmin = c.fromRole === inst.adminRole;
      if (c.kind === 'remove' && wasAdmin) adminsAfter -= 1;
      if (c.kind === 'change-role' && wasAdmin && c.toRole !== inst.adminRole) adminsAfter -= 1;
      if (c.kind === 'change-role' && !wasAdmin && c.toRole === inst.adminRole) adminsAfter += 1;
    }
  }

  const summary = zeroCounts();
  for (const e of [...changes, ...kept]) summary[e.kind] += 1;
  return {
    instance: inst.name,
    type: inst.type,
    prune: inst.prune,
    ...(groupCapability && managed.length > 0
      ? { groups: { noun: groupCapability.noun, managed } }
      : {}),
    current: {
      members: members.length,
      invited: records.filter((r) => r.state === 'invited').length,
      deactivated: records.filter((r) => r.state === 'deactivated').length,
      admins,
    },
    adminsAfter,
    changes,
    kept,
    unmanaged,
    snapshot,
    summary,
  };
}

/**
 * Compares the roster with each instance it names, reading every instance's members once
 * (one paginated `list()`), never one call per person, and retrying failed reads with the jobs'
 * policy within a deadline (`options`; see `readSnapshots`). Changes nothing. The plan carries
 * the guard violations (too many removals, too few admins) for `assertPlanSafe` to refuse.
 */
export async function plan(
  roster: Roster,
  resolver: InstanceResolver,
  options: SnapshotOptions = {},
): Promise<Plan> {
  const snapshots = await readSnapshots(roster, resolver, options);
  const instances = await Promise.all(
    roster.instances.map((inst) => planInstance(roster, inst, resolver, snapshots.get(inst.name)!)),
  );
  const summary = zeroCounts();
  for (const p of instances)
    for (const [k, n] of Object.entries(p.summary)) summary[k as keyof Counts] += n;
  const changes = instances.reduce((n, p) => n + p.changes.length, 0);
  return {
    roster: roster.file,
    instances,
    summary: { ...summary, changes },
    violations: checkGuards(roster, instances),
  };
}
