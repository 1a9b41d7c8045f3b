import { type MembershipJob, membershipJobId } from '@orchester/runtime';
import type { JobsOptions } from 'bullmq';
import type { QueueSettings } from './settings.js';

/** The name of the worker's backoff strategy: core's `backoffDelay` with jitter. */
export const BACKOFF_TYPE = 'orchester';

/**
 * BullMQ options of membership jobs for `settings`: attempts and backoff, shared by every job;
 * only the (deterministic) id differs. Build once per enqueue, call per job. Retention is not
 * here: the worker that finishes a job applies its own `keep_completed`/`keep_failed`, and every
 * job's options are parsed again on each delivery, so they stay small.
 */
export function membershipJobOptionsFor(settings: QueueSettings): (jobId: string) => JobsOptions {
  const backoff = { type: BACKOFF_TYPE };
  const attempts = settings.policy.attempts;
  return (jobId) => ({ jobId, attempts, backoff });
}

/** BullMQ options of a membership job: deterministic id, attempts, backoff. */
export function membershipJobOptions(job: MembershipJob, settings: QueueSettings): JobsOptions {
  return membershipJobOptionsFor(settings)(membershipJobId(job));
}
