import type { ChangeAttempt, ChangeResult, CheckResult, MembershipOptions } from '@orchester/core';

/** A change, with the Slack user id when the account exists (for channel invitations). */
export type DoorResult = ChangeResult & { readonly userId?: string };

/** The way one mode sees, adds and removes people. */
export interface Door {
  check(email: string): Promise<CheckResult>;
  /** Each write goes through `attempt.change`. */
  add(email: string, options: MembershipOptions, attempt: ChangeAttempt): Promise<DoorResult>;
  remove(email: string, attempt: ChangeAttempt): Promise<DoorResult>;
}
