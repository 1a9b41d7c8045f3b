import type { RedisClient } from './redis.js';

/** How long a write waits for a replica's acknowledgement before it counts as not held. */
export const REPLICA_WAIT_MS = 2_000;

/** `connected_slaves:N` of an `INFO replication` answer (0 for none, or no answer). */
export function connectedReplicas(info: unknown): number {
  const found = /^connected_slaves:(\d+)/m.exec(String(info ?? ''));
  return found ? Number(found[1]) : 0;
}

/**
 * Waits until a replica holds what this connection wrote to `key`'s node, when that node has
 * replicas: `replicas` if the caller read `INFO replication` with its write, else it is read
 * here. Redis replicates asynchronously, and a failover promotes the most up-to-date replica,
 * so one acknowledgement is enough; with none connected, nothing could be promoted. `WAIT`
 * counts the writes of the connection it is sent on, and a pipeline keyed by `key` sends it on
 * the one that holds `key` (on a cluster, that node's). Throws when none acknowledged in time.
 */
export async function awaitReplica(
  redis: RedisClient,
  key: string,
  waitMs: number,
  replicas?: number,
): Promise<void> {
  const known =
    replicas ??
    connectedReplicas((await redis.pipeline().exists(key).info('replication').exec())?.[1]?.[1]);
  if (known === 0) return;
  const waited = await redis.pipeline().exists(key).wait(1, waitMs).exec();
  const acknowledged = Number(waited?.[1]?.[1] ?? 0);
  if (acknowledged < 1) {
    throw new Error(
      `none of Redis's ${known} replicas acknowledged the write within ${waitMs} ms (a failover now could lose it)`,
    );
  }
}
