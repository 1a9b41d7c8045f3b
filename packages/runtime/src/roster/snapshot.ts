import type {
  AnyConnector,
  ConnectorInstance,
  ConnectorLimits,
  MemberRecord,
} from '@orchester/core';
import {
  CancelledError,
  type Clock,
  ConfigError,
  type OrchesterError,
  type OrchesterErrorOptions,
  RateLimitedError,
  systemClock,
  TransientError,
  toOrchesterError,
} from '@orchester/core';
import { Lane } from '../lane.js';
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type RetryDecision,
  type RetryPolicy,
} from '../retry-policy.js';
import type { InstanceResolver } from '../run-membership-job.js';
import { managedGroups } from './groups.js';
import type { Roster, RosterInstance } from './types.js';

/** How long reading a roster's instances may take by default, retries and waits included. */
export const DEFAULT_SNAPSHOT_DEADLINE_MS = 3 * 60_000;

/** How `plan` reads the services: the jobs' retry policy, within a deadline, at the instances' pace. */
export interface SnapshotOptions {
  /** How a failed read is retried; the jobs' policy. Default: `DEFAULT_RETRY_POLICY`. */
  readonly policy?: RetryPolicy;
  /** How long reading every instance may take, in ms. Default: `DEFAULT_SNAPSHOT_DEADLINE_MS`. */
  readonly deadlineMs?: number;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Stops the reading (SIGINT, shutdown); it then fails with a `CancelledError`. */
  readonly signal?: AbortSignal;
  /** Concurrency and rate per instance: config's, else (the default) the connector's declared limits. */
  limitsFor?(instance: string): Promise<ConnectorLimits>;
  /**
   * Told, as a listing goes, how many members and invitations of the instance have been read so
   * far (from 0 again when a failed listing starts over). For progress on a terminal.
   */
  onProgress?(instance: string, read: number): void;
  /** Told of each failed read that will be tried again, with what the policy decided. */
  onRetry?(
    instance: string,
    error: OrchesterError,
    decision: Extract<RetryDecision, { action: 'retry' }>,
  ): void;
}

/** One instance's members and pending invitations, and how they were read. */
export interface Snapshot {
  readonly records: readonly MemberRecord[];
  /** One paginated `list()`, or one `check` per roster person where the connector cannot list. */
  readonly how: 'list' | 'check';
}

/** Why reading stopped before it ended by itself: the abort reason of the reading's signal. */
class Stop {
  constructor(readonly why: 'deadline' | 'cancelled' | 'other-instance-failed') {}
}

interface Reading {
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  readonly random: (() => number) | undefined;
  readonly deadlineMs: number;
  readonly deadlineAt: number;
  readonly signal: AbortSignal;
  readonly onRetry: SnapshotOptions['onRetry'];
  readonly onProgress: SnapshotOptions['onProgress'];
}

/**
 * Reads every instance the roster names, all at once: one paginated `list()` each (a listing
 * that fails part-way is read again from its first page, so a snapshot is never two listings
 * glued together), or one `check` per person where the connector cannot list. Failed reads are
 * retried with the jobs' policy at the instance's pace; the first instance that cannot be read
 * within the deadline stops the others, and the error names it.
 */
export async function readSnapshots(
  roster: Roster,
  resolver: InstanceResolver,
  options: SnapshotOptions = {},
): Promise<Map<string, Snapshot>> {
  const clock = options.clock ?? systemClock;
  const deadlineMs = options.deadlineMs ?? DEFAULT_SNAPSHOT_DEADLINE_MS;
  const stop = new AbortController();
  const cancel = () => stop.abort(new Stop('cancelled'));
  if (options.signal?.aborted) cancel();
  else options.signal?.addEventListener('abort', cancel, { once: true });
  const deadlineTimer = new AbortController();
  clock.sleep(deadlineMs, deadlineTimer.signal).then(
    () => stop.abort(new Stop('deadline')),
    () => {},
  );
  const reading: Reading = {
    clock,
    policy: options.policy ?? DEFAULT_RETRY_POLICY,
    random: options.random,
    deadlineMs,
    deadlineAt: clock.now() + deadlineMs,
    signal: stop.signal,
    onRetry: options.onRetry,
    onProgress: options.onProgress,
  };
  try {
    const settled = await Promise.allSettled(
      roster.instances.map((inst) =>
        readInstance(roster, inst, resolver, reading, options).catch((error: unknown) => {
          // Without this instance there is no plan: reading the others further is wasted.
          stop.abort(new Stop('other-instance-failed'));
          throw error;
        }),
      ),
    );
    const failures = settled
      .flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []))
      .filter((reason) => !(reason instanceof Stop));
    if (options.signal?.aborted) {
      throw new CancelledError('reading the services was cancelled', {
        cause: options.signal.reason,
      });
    }
    if (failures.length > 0) throw oneError(failures.map(toOrchesterError));
    return new Map(
      settled.map((s, i) => [
        roster.instances[i]!.name,
        (s as PromiseFulfilledResult<Snapshot>).value,
      ]),
    );
  } finally {
    deadlineTimer.abort();
    options.signal?.removeEventListener('abort', cancel);
  }
}

async function readInstance(
  roster: Roster,
  inst: RosterInstance,
  resolver: InstanceResolver,
  reading: Reading,
  options: SnapshotOptions,
): Promise<Snapshot> {
  let connector: AnyConnector;
  let live: ConnectorInstance;
  let limits: ConnectorLimits;
  try {
    connector = await resolver.connectorOf(inst.name);
    live = await resolver.instance(inst.name);
    limits = (await options.limitsFor?.(inst.name)) ?? connector.limits;
  } catch (error) {
    throw couldNotRead(inst.name, toOrchesterError(error), { tries: 0 });
  }
  const lane = new Lane(limits, false);
  const list = connector.capabilities.list ? live.list?.bind(live) : undefined;
  if (list) {
    // Teams and channels the roster names are read with the members, so plans can manage them.
    const groups = managedGroups(roster, inst, connector.capabilities.groups);
    const listing = groups.length > 0 ? () => list({ groups }) : () => list();
    const records = await retrying(inst.name, lane, reading, async (signal) => {
      const records: MemberRecord[] = [];
      for await (const record of listing()) {
        // Stopped: leave the listing (no further pages) rather than finish it for nothing.
        if (signal.aborted) break;
        records.push(record);
        reading.onProgress?.(inst.name, records.length);
      }
      return records;
    });
    return { records, how: 'list' };
  }
  if (inst.prune) {
    throw new ConfigError(
      `${roster.file}: instances.${inst.name}.prune: the ${connector.displayName} connector cannot list members, so orchester cannot find people to remove; set prune: false`,
    );
  }
  const records: MemberRecord[] = [];
  for (const person of roster.people) {
    const assignment = person.assignments.find((a) => a.instance === inst.name);
    if (!assignment) continue;
    const result = await retrying(inst.name, lane, reading, () =>
      live.check(assignment.identifier),
    );
    if (result.state !== 'absent') {
      records.push({
        identifier: assignment.identifier,
        state: result.state,
        ...(result.role ? { role: result.role } : {}),
      });
    }
  }
  return { records, how: 'check' };
}

/**
 * Runs `read` until it succeeds, as the inline runner runs a job: through the instance's lane
 * (its concurrency, rate and rate-limit pause), with `decideRetry` saying what each failure means.
 * A wait that would end past the deadline is not begun: the read fails at once instead.
 */
async function retrying<T>(
  instance: string,
  lane: Lane,
  reading: Reading,
  read: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { clock, signal } = reading;
  let attemptsMade = 0;
  let rateLimitWaits = 0;
  let last: OrchesterError | undefined;
  const stopped = (error: unknown): never => {
    if (!(error instanceof Stop)) throw error;
    if (error.why === 'deadline') {
      throw couldNotRead(instance, last ?? new TransientError(`${instance} gave no answer`), {
        tries: attemptsMade + rateLimitWaits,
        deadlineMs: reading.deadlineMs,
      });
    }
    throw error;
  };
  for (;;) {
    let failed: OrchesterError | undefined;
    let value: T | undefined;
    await lane.acquire();
    try {
      await lane.admit(clock, signal);
      value = await untilAborted(read(signal), signal);
    } catch (error) {
      if (error instanceof Stop) stopped(error);
      failed = toOrchesterError(error);
    } finally {
      lane.release();
    }
    if (!failed) return value as T;
    last = failed;
    attemptsMade += 1;
    const decision = decideRetry(
      failed,
      { attemptsMade, rateLimitWaits },
      reading.policy,
      reading.random,
    );
    const tries = attemptsMade + rateLimitWaits;
    if (decision.action === 'fail' || failed.code === 'ORCH_CANCELLED') {
      throw couldNotRead(instance, failed, { tries });
    }
    if (clock.now() + decision.delayMs > reading.deadlineAt) {
      throw couldNotRead(instance, failed, { tries, deadlineMs: reading.deadlineMs });
    }
    reading.onRetry?.(instance, failed, decision);
    if (!decision.spendsAttempt) {
      attemptsMade -= 1;
      rateLimitWaits += 1;
      lane.pausedUntil = Math.max(lane.pausedUntil, clock.now() + decision.delayMs);
      continue;
    }
    await clock.sleep(decision.delayMs, signal).catch(stopped);
  }
}

/** `promise`, or the signal's reason once it aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * The error an unread instance fails the plan with: the last error's kind and code (so the exit
 * code and `--json` stay true), its message prefixed with the instance. Input and config errors
 * pass unchanged: they name their file and fix, and nothing was read.
 */
function couldNotRead(
  instance: string,
  last: OrchesterError,
  how: { tries: number; deadlineMs?: number },
): OrchesterError {
  if (last.category === 'input' || last.code === 'ORCH_CANCELLED') return last;
  const within =
    how.deadlineMs === undefined
      ? ''
      : ` within ${seconds(how.deadlineMs)} (roster.snapshot_deadline_ms)`;
  const tries = how.tries > 1 ? `, ${how.tries} tries` : '';
  return sameKind(
    last,
    `could not read ${instance}${within}: ${last.message} (${last.code}${tries})`,
    {
      cause: last,
      details: {
        instance,
        tries: how.tries,
        lastError: { ...(last.details ?? {}), code: last.code, message: last.message },
      },
    },
  );
}

/** A new error of `like`'s class, whose constructors all take (message, options) but one. */
function sameKind(
  like: OrchesterError,
  message: string,
  options: OrchesterErrorOptions,
): OrchesterError {
  if (like.code === 'ORCH_RATE_LIMITED') {
    return new RateLimitedError(message, (like as RateLimitedError).retryAfterMs ?? 0, options);
  }
  const Kind = like.constructor as new (m: string, o: OrchesterErrorOptions) => OrchesterError;
  return new Kind(message, options);
}

/** One error for all the instances that could not be read, of the first one's kind. */
function oneError(failures: readonly OrchesterError[]): OrchesterError {
  const input = failures.find((f) => f.category === 'input');
  if (input) return input;
  if (failures.length === 1) return failures[0]!;
  const [first] = failures;
  return sameKind(first!, failures.map((f) => f.message).join('; '), {
    cause: first,
    details: { instances: failures.map((f) => f.details?.instance) },
  });
}
