import { createHash } from 'node:crypto';
import { MEMBERSHIP_ACTIONS, type MembershipAction } from '@orchester/core';
import { z } from 'zod';

export const INSTANCE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
export const BATCH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * One unit of work: one action for one person on one connector instance. It carries no secret:
 * the runner looks credentials up in config by instance name.
 */
export const membershipJobSchema = z.object({
  instance: z.string().regex(INSTANCE_NAME, 'a configured instance name'),
  action: z.enum(MEMBERSHIP_ACTIONS),
  identifier: z.string().min(1).max(320),
  options: z.record(z.string(), z.unknown()).default({}),
  batchId: z.string().regex(BATCH_ID, 'letters, digits, - and _ (1-64)'),
});
export type MembershipJob = z.output<typeof membershipJobSchema>;

/**
 * The job's deterministic id: the same batch, instance, action and person always give the same
 * id, so enqueuing a batch twice runs each job once. No `:` (BullMQ 6 forbids it in ids).
 */
export function membershipJobId(
  job: Pick<MembershipJob, 'batchId' | 'instance' | 'action' | 'identifier'>,
): string {
  const who = createHash('sha256').update(job.identifier.trim().toLowerCase()).digest('hex');
  return `${job.batchId}.${job.instance}.${job.action}.${who.slice(0, 20)}`;
}

/** A new batch id: time-ordered, readable, and safe as a Redis key part and a job id part. */
export function newBatchId(now: number = Date.now()): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const random = createHash('sha256')
    .update(`${now}${Math.random()}${process.pid}`)
    .digest('hex')
    .slice(0, 6);
  return `b${stamp}-${random}`;
}

export function isWriteAction(action: MembershipAction): boolean {
  return action !== 'check';
}
