import type { SubmitJobs } from '@orchester/core';
import type { CommandContext } from './command-context.js';
import { UsageError } from './usage-error.js';

/**
 * Where `apply` sends a batch without `--inline`: the worker's queue. The worker client is not
 * part of this build yet, so this refuses (exit 2) before anything is planned or changed.
 */
export function queuedSubmit(_context: CommandContext, command: string): SubmitJobs {
  throw new UsageError(
    `${command}: the worker client is not available in this build, so the batch cannot be queued; run it here with --inline`,
  );
}
