import type { ReviewEntry, ReviewSnapshot } from './review-snapshot.js';

/** Pending invitations older than this many days are stale unless `--stale-days` says otherwise. */
export const DEFAULT_STALE_DAYS = 14;

/** Roles that administer an instance, whatever the service calls them. */
export const ADMIN_ROLES: readonly string[] = ['admin', 'owner', 'organizer'];

const DAY_MS = 86_400_000;

/** One row of the matrix: a person, and where they have access. */
export interface ReviewPerson {
  /** The roster person's e-mail, else the e-mail the service shows, else `instance:identifier`. */
  readonly key: string;
  readonly name?: string;
  readonly email?: string;
  /** True when a roster was given and names them; undefined without a roster. */
  readonly inRoster?: boolean;
  /** Their entry on each instance where they have one. */
  readonly access: Readonly<Record<string, ReviewEntry>>;
}

export interface StaleInvitation extends ReviewEntry {
  readonly ageDays: number;
}

export interface RoleChange {
  readonly entry: ReviewEntry;
  readonly fromRole?: string;
  readonly toRole?: string;
}

export interface StateChange {
  readonly entry: ReviewEntry;
  readonly from: ReviewEntry['state'];
  readonly to: ReviewEntry['state'];
}

/** What changed on the services between two snapshots. */
export interface ReviewChanges {
  /** When the earlier snapshot was taken. */
  readonly since: string;
  readonly added: readonly ReviewEntry[];
  readonly removed: readonly ReviewEntry[];
  readonly roleChanged: readonly RoleChange[];
  /** An invitation accepted, an account deactivated or reactivated. */
  readonly stateChanged: readonly StateChange[];
}

/** An access review: the matrix and what auditors ask about it, from one snapshot. */
export interface AccessReview {
  readonly takenAt: string;
  readonly roster?: string;
  readonly staleDays: number;
  readonly instances: ReadonlyArray<{
    readonly instance: string;
    readonly type: string;
    readonly listed: boolean;
    readonly members: number;
    readonly invited: number;
    readonly deactivated: number;
    readonly admins: readonly ReviewEntry[];
  }>;
  readonly people: readonly ReviewPerson[];
  /** Members and invitations the roster does not know (only with a roster). */
  readonly notInRoster: readonly ReviewEntry[];
  /** Pending invitations older than `staleDays`, oldest first. */
  readonly staleInvitations: readonly StaleInvitation[];
  /** Pending invitations whose service gives no date, so their age is unknown. */
  readonly invitationsOfUnknownAge: number;
  /** Against the previous snapshot, when there is one. */
  readonly changes?: ReviewChanges;
  readonly summary: {
    readonly instances: number;
    readonly people: number;
    readonly members: number;
    readonly invited: number;
    readonly deactivated: number;
    readonly admins: number;
    readonly notInRoster: number;
    readonly staleInvitations: number;
    readonly added: number;
    readonly removed: number;
    readonly roleChanged: number;
    readonly stateChanged: number;
  };
}

/** Whole days from `since` to `at` (ISO 8601), or undefined when `since` is absent or unreadable. */
export function ageInDays(since: string | undefined, at: string): number | undefined {
  if (!since) return undefined;
  const from = Date.parse(since);
  if (Number.isNaN(from)) return undefined;
  return Math.max(0, Math.floor((Date.parse(at) - from) / DAY_MS));
}

/** Deactivated accounts have no access: they are listed, never counted as access. */
const hasAccess = (e: ReviewEntry) => e.state !== 'deactivated';

function keyOf(e: ReviewEntry): string {
  return e.person?.email ?? e.email ?? `${e.instance}:${e.identifier}`;
}

/** What changed from `before` to `after`, instance by instance, by identifier. */
export function diffReviewSnapshots(before: ReviewSnapshot, after: ReviewSnapshot): ReviewChanges {
  const added: ReviewEntry[] = [];
  const removed: ReviewEntry[] = [];
  const roleChanged: RoleChange[] = [];
  const stateChanged: StateChange[] = [];
  const instances = new Set([...before.instances, ...after.instances].map((i) => i.instance));
  for (const name of [...instances].sort()) {
    const was = new Map(
      (before.instances.find((i) => i.instance === name)?.entries ?? []).map((e) => [
        e.identifier,
        e,
      ]),
    );
    const now = new Map(
      (after.instances.find((i) => i.instance === name)?.entries ?? []).map((e) => [
        e.identifier,
        e,
      ]),
    );
    for (const [id, e] of now) {
      const old = was.get(id);
      if (!old) {
        added.push(e);
        continue;
      }
      if (old.role !== e.role) {
        roleChanged.push({
          entry: e,
          ...(old.role ? { fromRole: old.role } : {}),
          ...(e.role ? { toRole: e.role } : {}),
        });
      }
      if (old.state !== e.state) stateChanged.push({ entry: e, from: old.state, to: e.state });
    }
    for (const [id, e] of was) if (!now.has(id)) removed.push(e);
  }
  return { since: before.takenAt, added, removed, roleChanged, stateChanged };
}

/** The review of `snapshot`: the matrix, who the roster misses, stale invitations, admins, changes. */
export function reviewAccess(
  snapshot: ReviewSnapshot,
  options: { staleDays?: number; previous?: ReviewSnapshot; adminRoles?: readonly string[] } = {},
): AccessReview {
  const staleDays = options.staleDays ?? DEFAULT_STALE_DAYS;
  const adminRoles = options.adminRoles ?? ADMIN_ROLES;
  const withRoster = snapshot.roster !== undefined;
  const all = snapshot.instances.flatMap((i) => i.entries);

  const byKey = new Map<
    string,
    { name?: string; email?: string; inRoster?: boolean; access: Record<string, ReviewEntry> }
  >();
  for (const e of all) {
    const key = keyOf(e);
    const row = byKey.get(key) ?? {
      ...(e.person ? { name: e.person.name } : {}),
      ...((e.person?.email ?? e.email) ? { email: e.person?.email ?? e.email } : {}),
      ...(withRoster ? { inRoster: e.person !== undefined } : {}),
      access: {},
    };
    row.access[e.instance] = e;
    byKey.set(key, row);
  }
  const people = [...byKey]
    .map(([key, row]): ReviewPerson => ({ key, ...row }))
    .sort((a, b) => (a.name ?? a.key).localeCompare(b.name ?? b.key));

  const notInRoster = withRoster ? all.filter((e) => hasAccess(e) && !e.person) : [];
  const invitations = all.filter((e) => e.state === 'invited');
  const staleInvitations = invitations
    .flatMap((e): StaleInvitation[] => {
      const ageDays = ageInDays(e.since, snapshot.takenAt);
      return ageDays !== undefined && ageDays > staleDays ? [{ ...e, ageDays }] : [];
    })
    .sort((a, b) => b.ageDays - a.ageDays);
  const invitationsOfUnknownAge = invitations.filter(
    (e) => ageInDays(e.since, snapshot.takenAt) === undefined,
  ).length;

  const instances = snapshot.instances.map((i) => ({
    instance: i.instance,
    type: i.type,
    listed: i.listed,
    members: i.entries.filter((e) => e.state === 'member').length,
    invited: i.entries.filter((e) => e.state === 'invited').length,
    deactivated: i.entries.filter((e) => e.state === 'deactivated').length,
    admins: i.entries.filter(
      (e) => e.state === 'member' && e.role !== undefined && adminRoles.includes(e.role),
    ),
  }));
  const changes = options.previous ? diffReviewSnapshots(options.previous, snapshot) : undefined;
  const sum = (f: (i: (typeof instances)[number]) => number) =>
    instances.reduce((n, i) => n + f(i), 0);
  return {
    takenAt: snapshot.takenAt,
    ...(snapshot.roster ? { roster: snapshot.roster } : {}),
    staleDays,
    instances,
    people,
    notInRoster,
    staleInvitations,
    invitationsOfUnknownAge,
    ...(changes ? { changes } : {}),
    summary: {
      instances: instances.length,
      people: people.filter((p) => Object.values(p.access).some(hasAccess)).length,
      members: sum((i) => i.members),
      invited: sum((i) => i.invited),
      deactivated: sum((i) => i.deactivated),
      admins: sum((i) => i.admins.length),
      notInRoster: notInRoster.length,
      staleInvitations: staleInvitations.length,
      added: changes?.added.length ?? 0,
      removed: changes?.removed.length ?? 0,
      roleChanged: changes?.roleChanged.length ?? 0,
      stateChanged: changes?.stateChanged.length ?? 0,
    },
  };
}
