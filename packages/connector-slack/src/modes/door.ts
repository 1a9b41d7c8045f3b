import type { ChangeAttempt, ChangeResult, MembershipOptions } from '@orchester/core';
import type { SlackUser } from '../web-api.js';

/** A change, with the Slack user id when the account exists (for channel invitations). */
export type DoorResult = ChangeResult & { readonly userId?: string };

/** The way one mode adds and removes people. */
export interface WriteDoor {
  /** Whether removal keeps the account (so channels must be left by hand). */
  readonly keepsAccount: boolean;
  /**
   * `found` is the users.lookupByEmail answer, so a door need not look again. Each write goes
   * through `attempt.change`.
   */
  add(
    email: string,
    options: MembershipOptions,
    found: SlackUser | undefined,
    attempt: ChangeAttempt,
  ): Promise<DoorResult>;
  remove(email: string, found: SlackUser | undefined, attempt: ChangeAttempt): Promise<DoorResult>;
}
