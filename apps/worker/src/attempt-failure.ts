import type { JobAttempt } from '@orchester/runtime';
import { UnrecoverableError } from 'bullmq';

/** A failed attempt as `runMembershipJob` answers it: the classified error and any change made. */
export type FailedAttempt = Extract<JobAttempt, { ok: false }>;

/**
 * `error` with its stack cut to its first line, `Name: message`. BullMQ keeps a failed job's
 * stack and the dashboard shows it: the worker's file paths are no one's business there, and
 * the stack of the cause, which is what helps, is in the log.
 */
export function withoutFrames<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/**
 * An attempt that failed and runs again after `delayMs`, as the worker's retry policy decided
 * (BullMQ's backoff strategy answers that delay). Its message, `CODE: message`, is for the
 * dashboard; what the failure means travels as data: `attempt.error` (code, category,
 * `retryAfterMs`) and `attempt.change`.
 */
export class RetryableAttemptError extends Error {
  constructor(
    readonly attempt: FailedAttempt,
    readonly delayMs: number,
  ) {
    super(`${attempt.error.code}: ${attempt.error.message}`);
    this.name = 'RetryableAttemptError';
    withoutFrames(this);
  }

  get code(): string {
    return this.attempt.error.code;
  }
}

/**
 * A job that failed for good (BullMQ tries it no more). `recorded` says whether the processor
 * wrote the job's end into its batch already; when not, the `failed` listener writes it from
 * `attempt`, never from the message text.
 */
export class JobFailedError extends UnrecoverableError {
  constructor(
    readonly attempt: FailedAttempt,
    readonly recorded: boolean,
  ) {
    super(`${attempt.error.code}: ${attempt.error.message}`);
    withoutFrames(this);
  }
}

/** The failed attempt a processor error carries, if it is one of the two above. */
export function failedAttemptOf(error: unknown): FailedAttempt | undefined {
  return error instanceof RetryableAttemptError || error instanceof JobFailedError
    ? error.attempt
    : undefined;
}
