import type { MemberRecord } from '@orchester/core';
import type { PersonRef } from '../roster/jobs.js';
import type { InstanceMembers } from '../roster/members.js';

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
  readonly person?: PersonRef;
  /** Why orchester can never remove them (an owner). */
  readonly protected?: string;
}

export interface ReviewInstance {
  readonly instance: string;
  readonly type: string;
  /** False when the connector cannot list its members: then `entries` is empty and says nothing. */
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

/**
 * The snapshot a review saves, from the members `readMembers` read (as `plan` reads them:
 * one paginated snapshot per instance, people named after the roster).
 */
export function reviewSnapshotOf(
  members: readonly InstanceMembers[],
  options: { readonly takenAt: string; readonly roster?: string },
): ReviewSnapshot {
  return {
    version: REVIEW_SNAPSHOT_VERSION,
    takenAt: options.takenAt,
    ...(options.roster ? { roster: options.roster } : {}),
    instances: members.map((i) => ({
      instance: i.instance,
      type: i.type,
      listed: i.listed,
      entries: i.members.map(
        (m): ReviewEntry => ({
          instance: m.instance,
          type: m.type,
          identifier: m.identifier,
          state: m.state,
          ...(m.role !== undefined ? { role: m.role } : {}),
          ...(m.since !== undefined ? { since: m.since } : {}),
          ...(m.email ? { email: m.email } : {}),
          ...(m.person ? { person: m.person } : {}),
          ...(m.protected ? { protected: m.protected } : {}),
        }),
      ),
    })),
  };
}
