import { type MembershipOutcome, TransientError } from '@orchester/core';
import type { ChangeJournal, JournalKey } from '@orchester/runtime';
import { batchKeys } from './keys.js';
import type { RedisClient } from './redis.js';

/**
 * The worker's change journal: a hash beside the batch (`…:changes`, jobId -> outcome) that
 * outlives the worker, so a retry or a re-run after a worker died knows what an earlier attempt
 * sent. It expires with the batch. Redis trouble is a transient failure of the attempt: a change
 * is never sent unless its note landed.
 */
export class RedisChangeJournal implements ChangeJournal {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async earlier(key: JournalKey): Promise<MembershipOutcome | undefined> {
    const value = await this.guard('reading', () =>
      this.redis.hget(batchKeys(this.prefix, key.batchId).changes, key.jobId),
    );
    return (value ?? undefined) as MembershipOutcome | undefined;
  }

  async note(key: JournalKey, outcome: MembershipOutcome): Promise<void> {
    const hash = batchKeys(this.prefix, key.batchId).changes;
    await this.guard('writing', () =>
      this.redis.multi().hset(hash, key.jobId, outcome).pexpire(hash, this.ttlMs).exec(),
    );
  }

  async forget(key: JournalKey): Promise<void> {
    await this.guard('writing', () =>
      this.redis.hdel(batchKeys(this.prefix, key.batchId).changes, key.jobId),
    );
  }

  private async guard<T>(doing: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new TransientError(`${doing} the job's change note in Redis failed`, { cause: error });
    }
  }
}
