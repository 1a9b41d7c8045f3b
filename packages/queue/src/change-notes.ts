import { type MembershipOutcome, TransientError } from '@orchester/core';
import type { ChangeJournal, JournalKey } from '@orchester/runtime';
import { batchKeys } from './keys.js';
import type { RedisClient } from './redis.js';
import { awaitReplica, connectedReplicas, REPLICA_WAIT_MS } from './replicas.js';

/**
 * The worker's change journal: a hash beside the batch (`…:changes`, jobId -> outcome) that
 * outlives the worker, so a retry or a re-run after a worker died knows what an earlier attempt
 * sent. It expires with the batch. Redis trouble is a transient failure of the attempt: a change
 * is never sent unless its note landed.
 *
 * "Landed" includes a replica: Redis replicates asynchronously, and a failover that lost the
 * note would turn orchester's own change into `already-member` on the retry. When the master
 * has replicas, the note waits until one holds it (`awaitReplica`).
 */
export class RedisChangeJournal implements ChangeJournal {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly replicaWaitMs = REPLICA_WAIT_MS,
  ) {}

  async earlier(key: JournalKey): Promise<MembershipOutcome | undefined> {
    const value = await this.guard('reading', () =>
      this.redis.hget(batchKeys(this.prefix, key.batchId).changes, key.jobId),
    );
    return (value ?? undefined) as MembershipOutcome | undefined;
  }

  async note(key: JournalKey, outcome: MembershipOutcome): Promise<void> {
    const hash = batchKeys(this.prefix, key.batchId).changes;
    const replicas = await this.guard('writing', async () => {
      const replies = await this.redis
        .pipeline()
        .hset(hash, key.jobId, outcome)
        .pexpire(hash, this.ttlMs)
        .info('replication')
        .exec();
      const failed = replies?.slice(0, 2).find(([error]) => error)?.[0];
      if (failed) throw failed;
      return connectedReplicas(replies?.[2]?.[1]);
    });
    try {
      await awaitReplica(this.redis, hash, this.replicaWaitMs, replicas);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new TransientError(
        `the job's change note was not confirmed: ${why}; the change was not sent`,
        {
          cause: error,
        },
      );
    }
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
