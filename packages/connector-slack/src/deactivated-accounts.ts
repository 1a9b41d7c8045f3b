import type { Clock } from '@orchester/core';

/** A deactivated Slack account, as a listing shows it. */
export interface DeactivatedAccount {
  readonly id: string;
  readonly email: string;
}

/** One page of a listing: its deactivated accounts and the cursor of the next page, if any. */
export interface DeactivatedPage {
  readonly accounts: readonly DeactivatedAccount[];
  readonly next: string | undefined;
}

/** How long a reading of the deactivated accounts serves the jobs of one instance, at least. */
export const DEACTIVATED_MAX_AGE_MS = 60_000;

interface Reading {
  readonly byEmail: Map<string, string>;
  /** When its last page arrived, and how long it serves. */
  readonly at: number;
  readonly maxAgeMs: number;
}

/** A reading cut short (a rate limit, a failure): the next one goes on from its cursor. */
interface PartialReading {
  readonly byEmail: Map<string, string>;
  readonly cursor: string | undefined;
  readonly started: number;
}

/**
 * The deactivated accounts of one instance, by e-mail. users.lookupByEmail answers
 * `users_not_found` for them, so they are read from a listing once and shared by the instance's
 * jobs. The reading stays true: it serves for a minute (or twice as long as it took to read, so a
 * large workspace is not read over and over), this instance's own deactivations and reactivations
 * are noted in it as Slack confirms them, a write whose answer was lost drops it, and a caller that
 * has reason to doubt it (Slack said `user_disabled`) asks for a fresh one. A reading cut short by a
 * rate limit goes on from the page where it stopped, so each page is asked for once (a fresh one
 * starts over).
 */
export class DeactivatedAccounts {
  private reading: Reading | undefined;
  private partial: PartialReading | undefined;
  private loading: Promise<Map<string, string>> | undefined;
  /** Changes noted while a reading is under way (or cut short), applied to it when it completes. */
  private notedMeanwhile: Array<readonly [string, string | undefined]> = [];

  constructor(
    private readonly page: (cursor: string | undefined) => Promise<DeactivatedPage>,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly minAgeMs = DEACTIVATED_MAX_AGE_MS,
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
    this.partial = undefined;
  }

  private note(email: string, id: string | undefined): void {
    if (this.loading || this.partial) this.notedMeanwhile.push([email, id]);
    if (this.reading) apply(this.reading.byEmail, [[email, id]]);
  }

  private async current(fresh: boolean): Promise<Map<string, string>> {
    if (fresh) {
      // What is read or being read may predate the change the caller has reason to expect.
      await this.loading?.catch(() => undefined);
      this.drop();
    }
    const reading = this.reading;
    if (reading && this.clock.now() - reading.at < reading.maxAgeMs) return reading.byEmail;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<Map<string, string>> {
    const resumed = this.partial;
    if (!resumed) this.notedMeanwhile = [];
    this.partial = undefined;
    const started = resumed?.started ?? this.clock.now();
    const byEmail = resumed?.byEmail ?? new Map<string, string>();
    let cursor = resumed?.cursor;
    do {
      let page: DeactivatedPage;
      try {
        page = await this.page(cursor);
      } catch (error) {
        this.partial = { byEmail, cursor, started };
        throw error;
      }
      for (const account of page.accounts) byEmail.set(account.email.toLowerCase(), account.id);
      cursor = page.next;
    } while (cursor);
    apply(byEmail, this.notedMeanwhile);
    this.notedMeanwhile = [];
    const at = this.clock.now();
    this.reading = { byEmail, at, maxAgeMs: Math.max(this.minAgeMs, 2 * (at - started)) };
    return byEmail;
  }
}

function apply(
  byEmail: Map<string, string>,
  notes: ReadonlyArray<readonly [string, string | undefined]>,
) {
  for (const [email, id] of notes) {
    if (id === undefined) byEmail.delete(email);
    else byEmail.set(email, id);
  }
}
