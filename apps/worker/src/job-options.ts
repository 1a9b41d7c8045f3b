import { type MembershipJob, membershipJobId } from '@orchester/core';
import type { JobsOptions } from 'bullmq';
import type { QueueSettings } from './settings.js';

/** The name of the worker's backoff strategy: core's `backoffDelay` with jitter. */
export const BACKOFF_TYPE = 'orchester';

/** BullMQ options of a membership job: deterministic id, attempts, backoff, retention. */
export function membershipJobOptions(job: MembershipJob, settings: QueueSettings): JobsOptions {
  return {
    jobId: membershipJobId(job),
    attempts: settings.policy.attempts,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: {
      age: settings.keepCompleted.ageSeconds,
      count: settings.keepCompleted.count,
    },
    removeOnFail: { age: settings.keepFailed.ageSeconds, count: settings.keepFailed.count },
  };
}
