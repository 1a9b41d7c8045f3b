import type {
  AnyConnector,
  ConnectorInstance,
  MembershipOutcome,
  MembershipState,
} from '@orchester/core';
import { type OrchesterError, toOrchesterError } from '@orchester/core';
import { AttemptChanges, type JobChange } from './attempt-changes.js';
import type { ChangeJournal } from './change-journal.js';
import { type MembershipJob, membershipJobId } from './job.js';
import { assertAction, parseIdentifier, parseOptions } from './prepare-job.js';

/** Gives runners the connector and the live instance behind an instance name. */
export interface InstanceResolver {
  connectorOf(instance: string): Promise<AnyConnector>;
  instance(instance: string): Promise<ConnectorInstance>;
}

/** What one attempt gave: a result, or a classified error. */
export type JobAttempt =
  | {
      readonly ok: true;
      readonly state?: MembershipState;
      readonly outcome?: MembershipOutcome;
      readonly role?: string;
      readonly detail?: string;
      readonly partial?: boolean;
      /** The change was an earlier attempt's, found in place by this one. */
      readonly confirmedOnRetry?: true;
      readonly durationMs: number;
    }
  | {
      readonly ok: false;
      readonly error: OrchesterError;
      /** A change this job made, or sent and may have made, before it failed. */
      readonly change?: JobChange;
      readonly durationMs: number;
    };

export interface AttemptOptions {
  readonly clock?: { now(): number };
  /** Where an add's or remove's changes are noted before they are sent. */
  readonly journal: ChangeJournal;
  /** The job's id, the journal's key; computed from the job when not given. */
  readonly jobId?: string;
  /**
   * False when an earlier attempt of this job may have run (a retry, a re-run after a stall):
   * the journal is read for what it sent.
   */
  readonly firstAttempt: boolean;
}

/**
 * Runs one attempt of `job` through its connector. Never throws: every failure comes back as a
 * classified OrchesterError, which the retry policy turns into a decision. An add's or remove's
 * writes go through a `ChangeAttempt`, so that a change an earlier attempt sent, whose answer
 * was lost, is reported as orchester's when this attempt finds it in place.
 */
export async function runMembershipJob(
  job: MembershipJob,
  resolver: InstanceResolver,
  options: AttemptOptions,
): Promise<JobAttempt> {
  const clock = options.clock ?? Date;
  const started = clock.now();
  let changes: AttemptChanges | undefined;
  try {
    const connector = await resolver.connectorOf(job.instance);
    assertAction(connector, job.action);
    const identifier = parseIdentifier(connector, job.identifier);
    const parsed = job.action === 'check' ? {} : parseOptions(connector, job.action, job.options);
    const instance = await resolver.instance(job.instance);
    if (job.action === 'check') {
      const result = await instance.check(identifier);
      return { ok: true, ...result, durationMs: clock.now() - started };
    }
    const key = { batchId: job.batchId, jobId: options.jobId ?? membershipJobId(job) };
    const earlier = options.firstAttempt ? undefined : await options.journal.earlier(key);
    changes = new AttemptChanges(options.journal, key, earlier);
    const result =
      job.action === 'add'
        ? await instance.add(identifier, parsed, changes)
        : await instance.remove(identifier, parsed, changes);
    return { ok: true, ...changes.settle(result), durationMs: clock.now() - started };
  } catch (error) {
    const change = changes?.leftBehind();
    return {
      ok: false,
      error: toOrchesterError(error),
      ...(change ? { change } : {}),
      durationMs: clock.now() - started,
    };
  }
}
