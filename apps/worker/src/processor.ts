import {
  CancelledError,
  type Logger,
  type OrchesterError,
  toOrchesterError,
} from '@orchester/core';
import {
  backoffDelay,
  type ChangeJournal,
  decideRetry,
  type InstanceResolver,
  jobReportOf,
  type MembershipJob,
  membershipJobId,
  type RetryPolicy,
  runMembershipJob,
} from '@orchester/runtime';
import { DelayedError, type Job, RateLimitError } from 'bullmq';
import { JobFailedError, RetryableAttemptError } from './attempt-failure.js';
import type { JobEndRecorder } from './result-recorder.js';

/** How one attempt ended. */
export type AttemptResult = 'succeeded' | 'failed' | 'retry' | 'rate-limited';

/** What the processor tells the outside about each attempt (metrics). */
export interface AttemptObserver {
  attemptEnded(job: MembershipJob, outcome: AttemptResult, durationMs: number): void;
}

export interface ProcessorDeps {
  readonly resolver: InstanceResolver;
  /** Where each job's end is written once (and audited), ahead of the job's completion. */
  readonly batches: JobEndRecorder;
  /** Where an attempt notes a change before sending it, for the attempts after a lost answer. */
  readonly journal: ChangeJournal;
  /** The worker's own retry policy: jobs carry none. */
  readonly policy: RetryPolicy;
  readonly logger: Logger;
  readonly observer?: AttemptObserver;
  /** Pauses the instance's queue for everyone: BullMQ's `queue.rateLimit`. */
  pauseQueue(instance: string, ms: number): Promise<void>;
  /**
   * For an instance with a declared rate: reserves the next start and answers the wait for it,
   * or minus the wait when it is too long to hold the job (see `RatePacer`).
   */
  pace?(instance: string): Promise<number> | undefined;
  /**
   * Aborted when the worker stops at its drain deadline, together with the connectors' calls: an
   * attempt cut off by it goes back to the queue with no attempt spent.
   */
  readonly shutdown?: AbortSignal;
  /**
   * When the batch was cancelled (`orchest batch cancel`), or undefined. Asked only for scheduled
   * jobs (delayed on enqueue): one that reached a worker as its batch was cancelled does not run.
   */
  cancelledAt?(batchId: string): Promise<string | undefined>;
  readonly now?: () => number;
}

/** Log fields for an unexpected error: its cause's stack, where the bug is. */
function stackOf(error: OrchesterError): { stack?: string } {
  if (error.code !== 'ORCH_INTERNAL') return {};
  const cause = (error as { cause?: unknown }).cause;
  const stack = cause instanceof Error ? cause.stack : error.stack;
  return stack ? { stack } : {};
}

/**
 * What a completed job returns to BullMQ, shown in the dashboard: its outcome (a check's state).
 * A word, not an object: BullMQ encodes it on every job, and the batch report has the rest.
 */
export type JobResultValue = string;

/**
 * The worker's processor: one attempt through the runtime's `runMembershipJob`, and the one place
 * where an error becomes queue behaviour (the runtime's `decideRetry`, with the worker's policy):
 * - rate limited: pause the whole queue for what the service asked, hand the job back with
 *   BullMQ's `RateLimitError` (no attempt spent);
 * - permanent, or out of the worker's attempts: record the failure, throw `JobFailedError` (an
 *   `UnrecoverableError`: no more tries);
 * - anything else: throw `RetryableAttemptError` with the policy's delay, which BullMQ waits
 *   through the `orchester` backoff strategy.
 * The thrown errors carry the failed attempt as data for the `failed` listener.
 * An instance with a declared rate is paced first: the job waits for its start, or is put aside
 * as delayed (`DelayedError`, no attempt spent) when that start is far off.
 */
export function createProcessor(
  deps: ProcessorDeps,
): (job: Job<MembershipJob>, token?: string) => Promise<JobResultValue> {
  const now = deps.now ?? Date.now;
  // pino answers whether debug lines are written; the success line is built only then.
  const levels = deps.logger as { isLevelEnabled?(level: string): boolean };
  const debug = levels.isLevelEnabled?.('debug') ?? true;
  return async (job, token) => {
    try {
      const data = job.data;
      if (job.opts.delay && deps.cancelledAt) await refuseCancelled(job, deps, now);
      // Not awaited when there is nothing to wait for: a promise hop per job shows at this speed.
      const pacing = deps.pace?.(data.instance);
      const wait = pacing === undefined ? undefined : await pacing;
      if (wait !== undefined && wait < 0) {
        await job.moveToDelayed(now() - wait, token);
        throw new DelayedError();
      }
      if (wait) await new Promise((r) => setTimeout(r, wait));
      if (deps.shutdown?.aborted) {
        await job.moveToDelayed(now(), token);
        throw new DelayedError();
      }
      // The queue id is the deterministic id the client computed; no need to hash again.
      const jobId = job.id ?? membershipJobId(data);
      const attempt = await runMembershipJob(data, deps.resolver, {
        journal: deps.journal,
        jobId,
        // BullMQ counts every start, stalled runs and rate-limit hand-backs included.
        firstAttempt: (job.attemptsStarted ?? 1) <= 1,
      });
      const attemptsMade = job.attemptsMade + 1;
      if (attempt.ok) {
        const report = jobReportOf(data, jobId, attemptsMade, attempt, now());
        // Sent before BullMQ's completion on the same connection, so Redis applies it first;
        // waiting for its answer would add a round trip to every job.
        await deps.batches.recordAhead(report);
        deps.observer?.attemptEnded(data, 'succeeded', attempt.durationMs);
        // Debug on the hot path: a line per job costs more than the job at thousands per second;
        // failures, retries and pauses stay at info/warn, and the batch report has every end.
        if (debug)
          deps.logger.debug(
            {
              ...logFields(job, jobId, attemptsMade, attempt.durationMs),
              outcome: report.outcome ?? report.state,
            },
            'job done',
          );
        return attempt.outcome ?? attempt.state ?? 'done';
      }
      const error = attempt.error;
      const log = logFields(job, jobId, attemptsMade, attempt.durationMs);
      if (deps.shutdown?.aborted && error.retryable) {
        // Cut off by the drain deadline, not failed: it runs again elsewhere, where a change it
        // sent is found in place and confirmed (the journal has its note).
        await job.moveToDelayed(now(), token);
        deps.logger.info(
          { ...log, outcome: 'cut-off', code: error.code },
          'job cut off at the shutdown deadline; back in the queue, no attempt spent',
        );
        throw new DelayedError();
      }
      // Starts that spent no attempt were rate-limit hand-backs (or stalls, which count the same way).
      const rateLimitWaits = Math.max(0, (job.attemptsStarted ?? attemptsMade) - attemptsMade);
      const decision = decideRetry(error, { attemptsMade, rateLimitWaits }, deps.policy);
      if (decision.action === 'retry' && !decision.spendsAttempt) {
        await deps.pauseQueue(data.instance, decision.delayMs);
        deps.observer?.attemptEnded(data, 'rate-limited', attempt.durationMs);
        deps.logger.warn(
          { ...log, outcome: 'rate-limited', code: error.code, pauseMs: decision.delayMs },
          'queue paused: the service asked to slow down',
        );
        throw new RateLimitError();
      }
      if (decision.action === 'fail') {
        const report = jobReportOf(data, jobId, attemptsMade, attempt, now());
        // Sent ahead of BullMQ's failing the job, as a success is ahead of its completion.
        await deps.batches.recordAhead(report);
        deps.observer?.attemptEnded(data, 'failed', attempt.durationMs);
        deps.logger.warn(
          {
            ...log,
            outcome: 'failed',
            code: error.code,
            reason: decision.reason,
            error: error.message,
            ...(attempt.change ? { change: attempt.change } : {}),
            ...stackOf(error),
          },
          attempt.change && !attempt.change.confirmed
            ? 'job failed; its change may have been made (the answer was lost)'
            : 'job failed',
        );
        throw new JobFailedError(attempt, true);
      }
      deps.observer?.attemptEnded(data, 'retry', attempt.durationMs);
      deps.logger.info(
        {
          ...log,
          outcome: 'retry',
          code: error.code,
          error: error.message,
          ...(attempt.change ? { change: attempt.change } : {}),
          ...stackOf(error),
        },
        'attempt failed; will retry',
      );
      throw new RetryableAttemptError(attempt, decision.delayMs);
    } catch (error) {
      throw unexpected(error, job, deps);
    }
  };
}

/** Ends a scheduled job of a cancelled batch as failed (`ORCH_CANCELLED`), before any request. */
async function refuseCancelled(
  job: Job<MembershipJob>,
  deps: ProcessorDeps,
  now: () => number,
): Promise<void> {
  const at = await deps.cancelledAt!(job.data.batchId);
  if (!at) return;
  const jobId = job.id ?? membershipJobId(job.data);
  const error = new CancelledError(
    `batch ${job.data.batchId} was cancelled ${at}, before this job ran; nothing was sent`,
  );
  const attemptsMade = job.attemptsMade + 1;
  const attempt = { ok: false, error, durationMs: 0 } as const;
  await deps.batches.recordAhead(jobReportOf(job.data, jobId, attemptsMade, attempt, now()));
  deps.logger.info(
    { ...logFields(job, jobId, attemptsMade, 0), outcome: 'cancelled', code: error.code },
    'job of a cancelled batch not run',
  );
  throw new JobFailedError(attempt, true);
}

/**
 * What the processor rethrows for BullMQ: its own errors as they are, and anything else (a Redis
 * error on the way) logged with its stack, then retried under the worker's policy like a
 * transient error, its end written by the `failed` listener once the attempts are spent.
 */
function unexpected(error: unknown, job: Job<MembershipJob>, deps: ProcessorDeps): unknown {
  if (
    error instanceof DelayedError ||
    error instanceof RateLimitError ||
    error instanceof RetryableAttemptError ||
    error instanceof JobFailedError
  )
    return error;
  const attempt = { ok: false, error: toOrchesterError(error), durationMs: 0 } as const;
  const attemptsMade = job.attemptsMade + 1;
  const spent = attemptsMade >= deps.policy.attempts;
  deps.logger.error(
    {
      jobId: job.id,
      batchId: job.data.batchId,
      instance: job.data.instance,
      error: attempt.error.message,
      ...(error instanceof Error ? { stack: error.stack } : {}),
    },
    spent
      ? 'unexpected error while processing a job; its attempts are spent, it fails'
      : 'unexpected error while processing a job; it is retried',
  );
  return spent
    ? new JobFailedError(attempt, false)
    : new RetryableAttemptError(attempt, backoffDelay(attemptsMade, deps.policy));
}

/** The fields every job line carries. */
function logFields(
  job: Job<MembershipJob>,
  jobId: string,
  attempt: number,
  durationMs: number,
): Record<string, unknown> {
  return {
    jobId,
    batchId: job.data.batchId,
    instance: job.data.instance,
    action: job.data.action,
    attempt,
    durationMs,
  };
}
