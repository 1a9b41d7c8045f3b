import { type MembershipJob, membershipJobId } from '@orchester/core';
import type { JobsOptions } from 'bullmq';
import type { QueueSettings } from './settings.js';

/** The name of the worker's backoff strategy: core's `backoffDelay` with jitter. */
export const BACKOFF_TYPE = 'orchester';

/**
 * BullMQ options of membership jobs for `settings`: attempts, backoff, retention, shared by
 * every job; only the (deterministic) id differs. Build once per enqueue, call per job.
 */
export function membershipJobOptionsFor(settings: QueueSettings): (jobId: string) => JobsOptions {
  const backoff = { type: BACKOFF_TYPE };
  const removeOnComplete = {
    age: settings.keepCompleted.ageSeconds,
    count: settings.keepCompleted.count,
  };
  const removeOnFail = { age: settings.keepFailed.ageSeconds, count: settings.keepFailed.count };
  const attempts = settings.policy.attempts;
  return (jobId) => ({ jobId, attempts, backoff, removeOnComplete, removeOnFail });
}

/** BullMQ options of a membership job: deterministic id, attempts, backoff, retention. */
export function membershipJobOptions(job: MembershipJob, settings: QueueSettings): JobsOptions {
  return membershipJobOptionsFor(settings)(membershipJobId(job));
}
