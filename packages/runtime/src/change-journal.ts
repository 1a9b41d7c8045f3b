import type { MembershipOutcome } from '@orchester/core';

/** Which job a note belongs to. */
export interface JournalKey {
  readonly batchId: string;
  readonly jobId: string;
}

/**
 * Where a job's change is noted before it is sent, so that a later attempt of the same job (a
 * retry, a re-run after a worker died) knows the change may be orchester's own. The inline
 * runner keeps it in memory for the run; the worker keeps it in Redis beside the batch.
 */
export interface ChangeJournal {
  /** The change an earlier attempt of the job sent, if any. */
  earlier(key: JournalKey): Promise<MembershipOutcome | undefined>;
  /** Notes a change; resolves once the note outlives this attempt, before the change is sent. */
  note(key: JournalKey, outcome: MembershipOutcome): Promise<void>;
  /** Forgets the job's change: the service refused it, so it did not happen. */
  forget(key: JournalKey): Promise<void>;
}

/** A journal for one process's run: retries of a job see what its earlier attempts sent. */
export class MemoryChangeJournal implements ChangeJournal {
  private readonly notes = new Map<string, MembershipOutcome>();

  async earlier(key: JournalKey): Promise<MembershipOutcome | undefined> {
    return this.notes.get(key.jobId);
  }

  async note(key: JournalKey, outcome: MembershipOutcome): Promise<void> {
    this.notes.set(key.jobId, outcome);
  }

  async forget(key: JournalKey): Promise<void> {
    this.notes.delete(key.jobId);
  }
}
