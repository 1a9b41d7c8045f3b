import type { MembershipOptions } from '@orchester/core';

/** How orchester manages one instance the roster names. */
export interface RosterInstance {
  readonly name: string;
  /** The connector type serving it (`github`, `slack`...). */
  readonly type: string;
  /** Remove members and cancel invitations of people not in the roster. Default false. */
  readonly prune: boolean;
  /** Refuse a plan removing more than this share of current members. Default 0.25. */
  readonly maxRemovalRatio: number;
  /** Refuse a plan leaving fewer admins than this. Default 1. */
  readonly minAdmins: number;
  /** The role counted as admin; undefined when the connector has none (the admin guard is off). */
  readonly adminRole: string | undefined;
}

/** Where one person belongs on one instance, with the identifier used there. */
export interface RosterAssignment {
  readonly instance: string;
  /** The person's identifier on that service, normalized by the connector. */
  readonly identifier: string;
  /** The role asked for, or the connector's default role. */
  readonly role: string | undefined;
  /** What `add` gets: role, and teams or channels where the connector has them. */
  readonly options: MembershipOptions;
}

export interface RosterPerson {
  readonly name: string;
  /** Lower-cased. */
  readonly email: string;
  readonly identities: Readonly<Record<string, string>>;
  readonly groups: readonly string[];
  /** One per instance the person belongs to, sorted by instance. */
  readonly assignments: readonly RosterAssignment[];
  /**
   * Every identifier the person may be known by on each roster instance, normalized, primary
   * first (the identity given for it, then the e-mail): what matching and offboarding use.
   */
  readonly keys: ReadonlyMap<string, readonly string[]>;
}

/** A validated roster: who belongs where, and how each instance is managed. */
export interface Roster {
  readonly file: string;
  /** Every instance the roster names (in `instances`, groups or people), sorted. */
  readonly instances: readonly RosterInstance[];
  readonly people: readonly RosterPerson[];
}
