/**
 * Where things live in Redis. Each queue's prefix carries a hash tag (`{orchester:github-corp}`),
 * so every key of one queue sits in one Redis Cluster slot while different queues spread over
 * the cluster. Batch tracking and the audit stream share the tag `{orchester}`: a job's end is
 * written into its batch and appended to the audit stream by one Lua script, which Redis
 * Cluster only allows for keys of one slot.
 */
export function queuePrefix(prefix: string, instance: string): string {
  return `{${prefix}:${instance}}`;
}

export interface BatchKeys {
  /** createdAt, updatedAt, actor, total, total|<instance>, enqueuedAt. */
  readonly meta: string;
  /** Every job id of the batch known to be on its queue (or finished): what `total` counts. */
  readonly jobs: string;
  /**
   * Job ids an enqueue announced and has not yet seen on the queue: emptied as each chunk is
   * added, left behind when an enqueue is cut off (a re-apply of the batch empties it).
   */
  readonly pending: string;
  /** jobId -> JobReport JSON, written once per job. */
  readonly results: string;
  /** `<instance>|ok|<outcome>` / `<instance>|failed|<code>` -> count. */
  readonly counts: string;
  /** jobId -> the change an attempt is sending, noted before it is sent (see ChangeJournal). */
  readonly changes: string;
}

export function batchKeys(prefix: string, batchId: string): BatchKeys {
  const base = `{${prefix}}:batch:${batchId}`;
  return {
    meta: `${base}:meta`,
    jobs: `${base}:jobs`,
    pending: `${base}:pending`,
    results: `${base}:results`,
    counts: `${base}:counts`,
    changes: `${base}:changes`,
  };
}

/**
 * The drift checker's queue (`drift`) sits beside the batch records, in the `{orchester}` slot.
 * Under a queue prefix of its own it would share `{orchester:drift}:drift:*` with an instance
 * named `drift`, and each worker would take the other's jobs.
 */
export function driftQueuePrefix(prefix: string): string {
  return `{${prefix}}`;
}

/** A sorted set of batch ids by creation time, for count-based retention. */
export function batchIndexKey(prefix: string): string {
  return `{${prefix}}:batches`;
}

/** The audit stream: one entry per add/remove job end, trimmed to `audit.stream_max_len`. */
export function auditStreamKey(prefix: string): string {
  return `{${prefix}}:audit`;
}

/**
 * What orchester learned of who an e-mail is on each instance (`ConnectorContext.identities`):
 * a hash of `<instance>|<email>` -> the service's id, beside the audit stream.
 */
export function identitiesKey(prefix: string): string {
  return `{${prefix}}:identities`;
}

/**
 * When an instance's next paced call may start, beside its queue's keys (same slot). The two
 * segments after the queue name cannot be a job's key: BullMQ refuses `:` in job ids.
 */
export function paceKey(prefix: string, instance: string): string {
  return `${queuePrefix(prefix, instance)}:${instance}:pace:next`;
}
