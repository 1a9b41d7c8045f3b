import { type ChangeAttempt, ConflictError, type MembershipOutcome } from '@orchester/core';

/** What a write answered: it changed something, or Slack said why it changed nothing. */
export type WriteAnswer<T> =
  | { readonly changed: true; readonly answer: T }
  | { readonly changed: false; readonly why: string };

/** Slack changed nothing; thrown out of `change()` as a refusal so the journal forgets the note. */
class NothingChanged extends ConflictError {
  constructor(readonly why: string) {
    super(`Slack changed nothing: ${why}`);
  }
}

/**
 * Sends a write through the attempt. An answer that says nothing changed (the person was already
 * where the job wanted, or gone) is a refusal to the journal, so that a later attempt of the job
 * never reports it as orchester's change, and comes back as `{changed: false}`.
 */
export async function sendChange<T>(
  attempt: ChangeAttempt,
  outcome: MembershipOutcome,
  send: () => Promise<WriteAnswer<T>>,
): Promise<WriteAnswer<T>> {
  try {
    return await attempt.change(outcome, async () => {
      const answer = await send();
      if (!answer.changed) throw new NothingChanged(answer.why);
      return answer;
    });
  } catch (error) {
    if (error instanceof NothingChanged) return { changed: false, why: error.why };
    throw error;
  }
}
