import { isOrchesterError, type OrchesterError } from '../errors.js';

/**
 * The orchester error an SDK wrapped: octokit, @slack/web-api and gaxios catch what their
 * `fetch` throws (the kit's `TransientError` or `CancelledError`) and throw their own error
 * with it as `cause` (or `original`). Undefined when there is none.
 */
export function orchesterErrorIn(error: unknown, depth = 5): OrchesterError | undefined {
  let current: unknown = error;
  for (let i = 0; i <= depth && current !== undefined && current !== null; i++) {
    if (isOrchesterError(current)) return current;
    if (typeof current !== 'object') return undefined;
    const { cause, original } = current as { cause?: unknown; original?: unknown };
    current = cause ?? original;
  }
  return undefined;
}
