/**
 * Where things live in Redis. Each queue's prefix carries a hash tag (`{orchester:github-corp}`),
 * so every key of one queue sits in one Redis Cluster slot while different queues spread over
 * the cluster. A batch's keys share the tag `{batch id}` for the same reason.
 */
export function queuePrefix(prefix: string, instance: string): string {
  return `{${prefix}:${instance}}`;
}

export interface BatchKeys {
  readonly meta: string;
  /** Every job id of the batch. */
  readonly jobs: string;
  /** jobId -> JobReport JSON, written once per job. */
  readonly results: string;
  /** `<instance>|ok|<outcome>` / `<instance>|failed|<code>` -> count. */
  readonly counts: string;
}

export function batchKeys(prefix: string, batchId: string): BatchKeys {
  const base = `${prefix}:batch:{${batchId}}`;
  return {
    meta: `${base}:meta`,
    jobs: `${base}:jobs`,
    results: `${base}:results`,
    counts: `${base}:counts`,
  };
}

/** A sorted set of batch ids by creation time, for count-based retention. */
export function batchIndexKey(prefix: string): string {
  return `${prefix}:batches`;
}
