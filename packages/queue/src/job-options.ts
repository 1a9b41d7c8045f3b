import { MAX_ATTEMPTS, type MembershipJob, membershipJobId } from '@orchester/runtime';
import type { JobsOptions } from 'bullmq';

/** The name of the worker's backoff strategy: the delay its retry policy decided. */
export const BACKOFF_TYPE = 'orchester';

/**
 * BullMQ options of membership jobs: the same for every job but the (deterministic) id. Jobs
 * carry no retry policy: the worker that runs them decides from its own config when one has
 * failed for good, and how long to wait before the next attempt. BullMQ's `attempts` is only the
 * ceiling any policy may reach. Retention is not here either: the worker that finishes a job
 * applies its own `keep_completed`/`keep_failed`, and every job's options are parsed again on
 * each delivery, so they stay small.
 */
export function membershipJobOptionsFor(): (jobId: string) => JobsOptions {
  const backoff = { type: BACKOFF_TYPE };
  return (jobId) => ({ jobId, attempts: MAX_ATTEMPTS, backoff });
}

/** BullMQ options of a membership job: its deterministic id, the attempts ceiling, the worker's backoff. */
export function membershipJobOptions(job: MembershipJob): JobsOptions {
  return membershipJobOptionsFor()(membershipJobId(job));
}
