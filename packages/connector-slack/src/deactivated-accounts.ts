import type { Clock } from '@orchester/core';

/** A deactivated Slack account, as a listing shows it. */
export interface DeactivatedAccount {
  readonly id: string;
  readonly email: string;
}

/** How long a reading of the deactivated accounts serves the jobs of one instance. */
export const DEACTIVATED_MAX_AGE_MS = 60_000;

/**
 * The deactivated accounts of one instance, by e-mail. users.lookupByEmail answers
 * `users_not_found` for them, so they are read from a listing once and shared by the instance's
 * jobs. The reading stays true: it is at most `maxAgeMs` old, this instance's own deactivations and
 * reactivations are noted in it as Slack confirms them, a write whose answer was lost drops it, and
 * a caller that has reason to doubt it (Slack said `user_disabled`) asks for a fresh one.
 */
export class DeactivatedAccounts {
  private reading: { readonly at: number; readonly byEmail: Map<string, string> } | undefined;
  private loading: Promise<Map<string, string>> | undefined;
  /** Changes noted while a reading is under way, applied to it when it arrives. */
  private notedMeanwhile: Array<readonly [string, string | undefined]> = [];

  constructor(
    private readonly list: () => AsyncIterable<DeactivatedAccount>,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly maxAgeMs = DEACTIVATED_MAX_AGE_MS,
  ) {}

  /** The id of the deactivated account with this e-mail, if there is one; `fresh` reads anew. */
  async find(email: string, fresh = false): Promise<string | undefined> {
    return (await this.current(fresh)).get(email.toLowerCase());
  }

  /** Slack confirmed that this account is deactivated now. */
  noteDeactivated(email: string, id: string): void {
    this.note(email.toLowerCase(), id);
  }

  /** Slack confirmed that this account is active (or gone) now. */
  noteActive(email: string): void {
    this.note(email.toLowerCase(), undefined);
  }

  /** A write whose outcome is unknown: the next look reads anew. */
  drop(): void {
    this.reading = undefined;
  }

  private note(email: string, id: string | undefined): void {
    if (this.loading) this.notedMeanwhile.push([email, id]);
    if (!this.reading) return;
    if (id === undefined) this.reading.byEmail.delete(email);
    else this.reading.byEmail.set(email, id);
  }

  private current(fresh: boolean): Promise<Map<string, string>> {
    const reading = this.reading;
    if (!fresh && reading && this.clock.now() - reading.at < this.maxAgeMs)
      return Promise.resolve(reading.byEmail);
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<Map<string, string>> {
    const at = this.clock.now();
    this.notedMeanwhile = [];
    const byEmail = new Map<string, string>();
    for await (const account of this.list()) {
      if (account.email) byEmail.set(account.email.toLowerCase(), account.id);
    }
    for (const [email, id] of this.notedMeanwhile) {
      if (id === undefined) byEmail.delete(email);
      else byEmail.set(email, id);
    }
    this.notedMeanwhile = [];
    this.reading = { at, byEmail };
    return byEmail;
  }
}
