import type { EnqueueResult, QueueClient } from '@orchester/queue';
import {
  auditJobEnds,
  type BatchReport,
  type JobReport,
  type MembershipJob,
  type PersonLookup,
  type RetryPolicy,
  readRetryPolicy,
  runJobsInline,
  type SubmitJobs,
} from '@orchester/runtime/inline';
import { openQueueClientOf } from './batch/queue-client.js';
import type { CommandContext } from './command-context.js';
import { type OpenAudit, openAudit, warnRetries } from './inline-notes.js';

/**
 * The defaults of the retry policy of jobs run here, for keys config `retry` leaves out: a person
 * waits at the terminal, so fewer and shorter retries than the worker's `DEFAULT_RETRY_POLICY`.
 */
export const INTERACTIVE_RETRY_POLICY: RetryPolicy = Object.freeze({
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  jitter: 0.5,
  maxRateLimitWaits: 20,
});

/**
 * The one retry policy of everything the CLI runs here (jobs and `plan`'s snapshots alike):
 * config `retry`, each key it leaves out from `INTERACTIVE_RETRY_POLICY`. Queued jobs are
 * retried by the worker, with the worker's config.
 */
export function inlineRetryPolicy(context: CommandContext): RetryPolicy {
  return readRetryPolicy(context.registry().config, INTERACTIVE_RETRY_POLICY);
}

/** How a command's jobs run, from its flags. */
export interface DispatchChoice {
  /** `--enqueue`, or the absence of `--inline`: hand the jobs to the worker's queue. */
  readonly queue: boolean;
  /** Run here: audit add/remove ends to the audit file (`check` alone changes nothing). */
  readonly audit: boolean;
}

/** Per-batch extras of a run here. */
export interface InlineRunExtras {
  /** Who each job is about, for the audit trail. */
  readonly personOf?: PersonLookup;
  /** Called as each job ends (progress). */
  onJobDone?(report: JobReport): void;
}

/** Jobs run in this process with the inline retry policy, their ends audited. */
export interface InlineDispatch {
  readonly queued: false;
  readonly policy: RetryPolicy;
  run(
    batchId: string,
    jobs: readonly MembershipJob[],
    extras?: InlineRunExtras,
  ): Promise<BatchReport>;
  close(): Promise<void>;
}

/** Jobs handed to the worker's queue; the worker decides their retries. */
export interface QueuedDispatch {
  readonly queued: true;
  /** Also for waiting on the batch and reading its report. */
  readonly client: QueueClient;
  enqueue(batchId: string, jobs: readonly MembershipJob[]): Promise<EnqueueResult>;
  close(): Promise<void>;
}

export type Dispatch = InlineDispatch | QueuedDispatch;

/**
 * The one way a command gets its jobs carried out. Opens what the choice needs before anything
 * is read or changed: the audit file (an unwritable one stops the command), or Redis (an
 * unreachable one fails within 2 s, naming the URL and suggesting --inline).
 */
export async function openDispatch(
  context: CommandContext,
  choice: DispatchChoice & { readonly queue: false },
): Promise<InlineDispatch>;
export async function openDispatch(
  context: CommandContext,
  choice: DispatchChoice,
): Promise<Dispatch>;
export async function openDispatch(
  context: CommandContext,
  choice: DispatchChoice,
): Promise<Dispatch> {
  if (choice.queue) {
    const client = await openQueueClientOf(context);
    return {
      queued: true,
      client,
      enqueue: (batchId, jobs) => client.enqueueBatch(batchId, jobs),
      close: () => client.close(),
    };
  }
  const audit: OpenAudit | undefined = choice.audit ? openAudit(context) : undefined;
  const policy = inlineRetryPolicy(context);
  const registry = context.registry();
  return {
    queued: false,
    policy,
    run: (batchId, jobs, extras = {}) => {
      const recordEnd = audit
        ? auditJobEnds({ ...audit, ...(extras.personOf ? { personOf: extras.personOf } : {}) })
        : undefined;
      return runJobsInline(batchId, jobs, {
        resolver: registry,
        limitsFor: (name) => registry.limitsFor(name),
        policy,
        clock: context.clock,
        signal: context.signal,
        onAttemptFailed: warnRetries(context),
        onJobDone: (report) => {
          recordEnd?.(report);
          extras.onJobDone?.(report);
        },
      });
    },
    close: async () => {},
  };
}

/** The dispatch as a roster's `SubmitJobs`: a report when run here, the batch id when queued. */
export function submitOf(dispatch: Dispatch, personOf?: PersonLookup): SubmitJobs {
  if (!dispatch.queued)
    return (batchId, jobs) => dispatch.run(batchId, jobs, personOf ? { personOf } : {});
  return async (batchId, jobs) => {
    const result = await dispatch.enqueue(batchId, jobs);
    return { batchId, queued: result.enqueued };
  };
}
