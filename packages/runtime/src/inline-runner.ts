import type { ConnectorLimits } from '@orchester/core';
import { CancelledError, type Clock, type OrchesterError, systemClock } from '@orchester/core';
import { MemoryChangeJournal } from './change-journal.js';
import { isWriteAction, type MembershipJob, membershipJobId } from './job.js';
import { jobReportOf } from './job-report.js';
import { Lane } from './lane.js';
import type { BatchReport, JobReport } from './report.js';
import { totalsOf } from './report.js';
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy.js';
import { type InstanceResolver, type JobAttempt, runMembershipJob } from './run-membership-job.js';

export interface InlineRunOptions {
  readonly resolver: InstanceResolver;
  /** Concurrency and rate per instance: config's, else the connector's declared limits. */
  limitsFor(instance: string): Promise<ConnectorLimits>;
  readonly policy?: RetryPolicy;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  readonly random?: () => number;
  /** Called as each job ends. */
  onJobDone?(report: JobReport): void;
  /** Called after each failed attempt with what the policy decided. */
  onAttemptFailed?(job: MembershipJob, error: OrchesterError, decision: RetryDecision): void;
}

/**
 * Runs jobs in this process with the same policy as the worker: per-instance concurrency and
 * rate, a lane-wide pause when a service rate-limits, backoff with jitter, and serialized writes
 * where the connector asks for them. Resolves with the whole batch's report; never rejects for a
 * job's failure.
 */
export async function runJobsInline(
  batchId: string,
  jobs: readonly MembershipJob[],
  options: InlineRunOptions,
): Promise<BatchReport> {
  const clock = options.clock ?? systemClock;
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const lanes = new Map<string, Promise<Lane>>();
  const journal = new MemoryChangeJournal();

  const laneOf = (instance: string): Promise<Lane> => {
    let lane = lanes.get(instance);
    if (!lane) {
      lane = (async () => {
        const limits = await options.limitsFor(instance);
        const connector = await options.resolver.connectorOf(instance).catch(() => undefined);
        return new Lane(limits, connector?.capabilities.serialWrites ?? false);
      })();
      lanes.set(instance, lane);
    }
    return lane;
  };

  const runOne = async (job: MembershipJob): Promise<JobReport> => {
    const lane = await laneOf(job.instance);
    const jobId = membershipJobId(job);
    let attemptsMade = 0;
    let rateLimitWaits = 0;
    let lastAttempt: JobAttempt | undefined;
    // A cancelled run still reports what an earlier attempt changed, or may have.
    const cancelled = (cause?: unknown): JobAttempt => {
      const change = lastAttempt?.ok === false ? lastAttempt.change : undefined;
      return {
        ok: false,
        error: new CancelledError('run was cancelled', { cause }),
        ...(change ? { change } : {}),
        durationMs: 0,
      };
    };
    for (;;) {
      if (options.signal?.aborted) return report(job, jobId, attemptsMade, cancelled());
      await lane.acquire();
      let attempt: JobAttempt;
      try {
        await lane.admit(clock, options.signal);
        const firstAttempt = lastAttempt === undefined;
        const go = () =>
          runMembershipJob(job, options.resolver, { clock, journal, jobId, firstAttempt });
        attempt =
          lane.serialWrites && isWriteAction(job.action) ? await lane.serialize(go) : await go();
      } catch (error) {
        // Only an abort of the sleep lands here.
        attempt = cancelled(error);
      } finally {
        lane.release();
      }
      lastAttempt = attempt;
      attemptsMade += 1;
      if (attempt.ok) return report(job, jobId, attemptsMade, attempt);
      const decision = decideRetry(
        attempt.error,
        { attemptsMade, rateLimitWaits },
        policy,
        options.random,
      );
      options.onAttemptFailed?.(job, attempt.error, decision);
      if (decision.action === 'fail' || attempt.error.code === 'ORCH_CANCELLED') {
        return report(job, jobId, attemptsMade, attempt);
      }
      if (!decision.spendsAttempt) {
        attemptsMade -= 1;
        rateLimitWaits += 1;
        lane.pausedUntil = Math.max(lane.pausedUntil, clock.now() + decision.delayMs);
        continue;
      }
      try {
        await clock.sleep(decision.delayMs, options.signal);
      } catch {
        return report(job, jobId, attemptsMade, attempt);
      }
    }
  };

  const report = (
    job: MembershipJob,
    jobId: string,
    attempts: number,
    attempt: JobAttempt,
  ): JobReport => {
    const done = jobReportOf({ ...job, batchId }, jobId, attempts, attempt, clock.now());
    options.onJobDone?.(done);
    return done;
  };

  const rows = await Promise.all(jobs.map(runOne));
  return { batchId, totals: totalsOf(rows), jobs: rows };
}
