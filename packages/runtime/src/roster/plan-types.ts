import type { MembershipOptions, MembershipState } from '@orchester/core';
import type { GroupChanges } from './groups.js';

/** Changes a plan carries out. */
export const PLAN_CHANGE_KINDS = [
  'add',
  'reactivate',
  'change-role',
  /** A member whose role is right, in the wrong teams or channels. */
  'change-groups',
  'remove',
  'cancel-invitation',
] as const;
export type PlanChangeKind = (typeof PLAN_CHANGE_KINDS)[number];

/** Where the service already agrees with the roster. */
export const PLAN_KEEP_KINDS = ['in-place', 'pending'] as const;
export type PlanKeepKind = (typeof PLAN_KEEP_KINDS)[number];

/** One person on one instance: what the service has now and what the roster wants. */
export interface PlanEntry<Kind extends string = PlanChangeKind | PlanKeepKind> {
  readonly instance: string;
  readonly kind: Kind;
  /** The identifier the job uses (the service's own for people not in the roster). */
  readonly identifier: string;
  /** The roster person, absent for people the roster does not know. */
  readonly person?: { readonly name: string; readonly email: string };
  readonly from: MembershipState;
  readonly fromRole?: string;
  readonly toRole?: string;
  /** What `add` gets (role, teams, channels); only for adds, reactivations and role and group changes. */
  readonly options?: MembershipOptions;
  /** Teams or channels joined and left, where the instance's connector has groups and they change. */
  readonly groups?: GroupChanges;
}
export type PlanChange = PlanEntry<PlanChangeKind>;

/** The plan for one instance. */
export interface InstancePlan {
  readonly instance: string;
  readonly type: string;
  readonly prune: boolean;
  /** Counts of the snapshot the plan was made from. */
  readonly current: {
    readonly members: number;
    readonly invited: number;
    readonly deactivated: number;
    /** Members with the admin role; undefined when the instance has no admin role. */
    readonly admins: number | undefined;
  };
  /**
   * The teams or channels the roster manages on this instance (every one it names there), and
   * what the service calls them; absent when the connector has no groups or the roster names none.
   */
  readonly groups?: { readonly noun: string; readonly managed: readonly string[] };
  /** Admins once the plan is carried out (pending invitations not counted). */
  readonly adminsAfter: number | undefined;
  readonly changes: readonly PlanChange[];
  /** Roster people the service already has right (members, or invited and waiting). */
  readonly kept: readonly PlanEntry<PlanKeepKind>[];
  /** Members and invitations not in the roster that stay because `prune` is off. */
  readonly unmanaged: number;
  /** How the snapshot was read: one paginated `list()`, or one `check` per person. */
  readonly snapshot: 'list' | 'check';
  readonly summary: Readonly<Record<PlanChangeKind | PlanKeepKind, number>>;
}

/** A limit the plan would break; `apply` refuses unless forced. */
export interface GuardViolation {
  readonly instance: string;
  readonly limit: 'maxRemovalRatio' | 'minAdmins';
  readonly message: string;
  /** How many people over (removals) or under (admins) the limit. */
  readonly by: number;
}

/** What `apply` would change, instance by instance. Making it changes nothing. */
export interface Plan {
  readonly roster: string;
  readonly instances: readonly InstancePlan[];
  readonly summary: Readonly<Record<PlanChangeKind | PlanKeepKind, number>> & {
    readonly changes: number;
  };
  readonly violations: readonly GuardViolation[];
}
