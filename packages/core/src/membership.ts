/** Where a person stands on a service, as `check` answers it. */
export const MEMBERSHIP_STATES = ['member', 'invited', 'absent', 'deactivated'] as const;
export type MembershipState = (typeof MEMBERSHIP_STATES)[number];

/** What `add` or `remove` did. Adding someone who is there, or removing someone who is not, is a success. */
export const MEMBERSHIP_OUTCOMES = [
  'added',
  'invited',
  'reactivated',
  'role-changed',
  'already-member',
  'already-invited',
  'removed',
  'invitation-cancelled',
  'not-member',
] as const;
export type MembershipOutcome = (typeof MEMBERSHIP_OUTCOMES)[number];

export const MEMBERSHIP_ACTIONS = ['check', 'add', 'remove'] as const;
export type MembershipAction = (typeof MEMBERSHIP_ACTIONS)[number];

/** The answer of `check`. */
export interface CheckResult {
  readonly state: MembershipState;
  /** The role on the service (`admin`, `member`, `writer`...), when the service has roles. */
  readonly role?: string;
  /** One short human line, e.g. "pending invitation since 2026-11-01". Never a secret. */
  readonly detail?: string;
  /**
   * True when the service let the check look at only part of where the person may be (GitHub
   * finds an e-mail's pending invitation, never a member by e-mail): `absent` then means "not
   * found there", not "no access". `detail` says what was not seen.
   */
  readonly partial?: boolean;
}

/** The answer of `add` and `remove`. */
export interface ChangeResult {
  readonly outcome: MembershipOutcome;
  readonly role?: string;
  readonly detail?: string;
}

/**
 * Since contract 1.3: one group a member belongs to inside the service (a GitHub team, a Slack
 * channel), with their role in it where groups have roles (`maintainer`).
 */
export interface GroupMembership {
  readonly group: string;
  readonly role?: string;
}

/** One entry of a connector's `list()` snapshot: a current member or a pending invitation. */
export interface MemberRecord {
  /** The identifier orchester would use for this person on this service (login, e-mail, username). */
  readonly identifier: string;
  readonly state: Exclude<MembershipState, 'absent'>;
  readonly role?: string;
  /** Other names the same person is known by on the service (e-mail, user id), lower-cased where case-insensitive. */
  readonly aliases?: readonly string[];
  /**
   * Since when the person is a member or invited, as an ISO 8601 time, where the service says
   * (GitHub: an invitation's `created_at`). Shown by `orchest members`; plans ignore it.
   */
  readonly since?: string;
  /** The person's display name on the service, where it shows one (Slack's real name...). */
  readonly name?: string;
  /**
   * Why orchester can never remove this member (the item's owner, the workspace's primary
   * owner). Plans leave such members alone even with `prune`, instead of planning a removal that
   * would fail every time.
   */
  readonly protected?: string;
  /**
   * Since contract 1.3: the groups of `ListOptions.groups` this member is in, when `list` was
   * asked for them and the connector declares `capabilities.groups`. Absent: not read.
   */
  readonly groups?: readonly GroupMembership[];
}
