import type { ChangeJournal, JournalKey } from './change-journal.js';
import type { ChangeAttempt, ChangeOptions } from './contract.js';
import { isOrchesterError } from './errors.js';
import type { ChangeResult, MembershipOutcome } from './membership.js';

/** Outcomes that say orchester changed nothing: the person was already where the job wanted. */
const NOTHING_CHANGED: ReadonlySet<MembershipOutcome> = new Set([
  'already-member',
  'already-invited',
  'not-member',
]);

/** A change a failed job made, or sent without learning whether it landed. */
export interface JobChange {
  readonly outcome: MembershipOutcome;
  /** True when the service confirmed it; false when its answer was lost. */
  readonly confirmed: boolean;
}

/**
 * True when the error is the service's refusal: the write did not happen. Anything else (no
 * answer, a timeout, a 5xx, an error orchester cannot classify) may have come after the change.
 */
function isRefusal(error: unknown): boolean {
  if (!isOrchesterError(error)) return false;
  if (error.code === 'ORCH_RATE_LIMITED') return true;
  return !error.retryable && error.code !== 'ORCH_INTERNAL';
}

/**
 * The changes of one attempt of an `add` or `remove`: each noted in the journal before it is
 * sent, so that a change whose answer was lost is reported as orchester's when a later attempt
 * of the same job finds it in place.
 */
export class AttemptChanges implements ChangeAttempt {
  private own: { outcome: MembershipOutcome; landed: boolean | undefined } | undefined;

  constructor(
    private readonly journal: ChangeJournal,
    private readonly key: JournalKey,
    /** The change an earlier attempt of this job sent, read before this one started. */
    private readonly earlier: MembershipOutcome | undefined,
  ) {}

  async change<T>(
    outcome: MembershipOutcome,
    send: () => Promise<T>,
    options: ChangeOptions<T> = {},
  ): Promise<T> {
    await this.journal.note(this.key, outcome);
    this.own = { outcome, landed: undefined };
    try {
      const answer = await send();
      const changed = options.changed?.(answer) ?? true;
      this.own = { outcome, landed: changed };
      if (!changed) await this.unsend();
      return answer;
    } catch (error) {
      if (isRefusal(error)) {
        this.own = { outcome, landed: false };
        await this.unsend();
      }
      throw error;
    }
  }

  /** This attempt's change did not happen: the journal says again what earlier attempts sent. */
  private async unsend(): Promise<void> {
    if (this.earlier === undefined) await this.journal.forget(this.key);
    else await this.journal.note(this.key, this.earlier);
  }

  /**
   * The connector's result as orchester reports it. "Already there" after an earlier attempt
   * sent the change is that attempt's change, confirmed now: the person was not there before
   * orchester wrote.
   */
  settle(result: ChangeResult): ChangeResult & { readonly confirmedOnRetry?: true } {
    if (this.earlier === undefined || !NOTHING_CHANGED.has(result.outcome)) return result;
    return {
      ...result,
      outcome: this.earlier,
      detail: `sent by an earlier attempt whose answer was lost, confirmed on a retry${result.detail ? `; ${result.detail}` : ''}`,
      confirmedOnRetry: true,
    };
  }

  /** The change a failed attempt leaves behind: made, or sent and perhaps made. */
  leftBehind(): JobChange | undefined {
    if (this.own && this.own.landed !== false)
      return { outcome: this.own.outcome, confirmed: this.own.landed === true };
    return this.earlier === undefined ? undefined : { outcome: this.earlier, confirmed: false };
  }
}
