import { CancelledError, type Clock, TransientError } from '@orchester/core';

/** Writes Drive lost are sent again at most this often before the job's own retry takes over. */
export const MAX_REDOS = 8;
/** The first pause before sending a lost write again; it doubles with each loss, jittered in full. */
const REDO_BASE_MS = 250;
const REDO_CAP_MS = 8_000;

/** One write to one person's permission, and how to tell it landed. */
export interface ConfirmedWrite<T> {
  /** Sends the write that takes what Drive showed last (`seen`) to the intended state. */
  write(seen: T | undefined): Promise<void>;
  /** Reads the person's permission back from Drive. */
  readBack(): Promise<T | undefined>;
  /** Whether what was read back is the intended state. */
  done(seen: T | undefined): boolean;
  /** Who and what, for the error when Drive keeps losing the write. */
  readonly what: string;
}

/**
 * Sends a write, reads it back, and sends it again while Drive lost it to a concurrent write (of
 * overlapping permission writes on one item Drive applies only the last). Resolves with what the
 * last read showed: the intended state. After `MAX_REDOS` losses in a row it throws a
 * `TransientError`, so the job is retried with backoff.
 */
export async function writeUntilSeen<T>(
  steps: ConfirmedWrite<T>,
  before: T | undefined,
  clock: Clock,
  signal: AbortSignal,
  random: () => number = Math.random,
): Promise<T | undefined> {
  let seen = before;
  for (let losses = 0; ; losses++) {
    await steps.write(seen);
    seen = await steps.readBack();
    if (steps.done(seen)) return seen;
    if (losses >= MAX_REDOS) {
      throw new TransientError(
        `${steps.what}: Drive lost the write to other changes of the item ${losses + 1} times in a row`,
      );
    }
    try {
      await clock.sleep(random() * Math.min(REDO_CAP_MS, REDO_BASE_MS * 2 ** losses), signal);
    } catch (error) {
      throw new CancelledError(`${steps.what}: stopped while waiting to send it again`, {
        cause: error,
      });
    }
  }
}
