import type { MembershipJob } from '../job.js';
import type { BatchReport } from '../report.js';
import { assertPlanSafe } from './guard.js';
import type { Plan } from './plan-types.js';

/** A person as the audit trail names them. */
export interface PersonRef {
  readonly name?: string;
  readonly email?: string;
}

/** Who a job is about, when the roster or the flags know. */
export type PersonLookup = (
  job: Pick<MembershipJob, 'instance' | 'identifier'>,
) => PersonRef | undefined;

/**
 * Where a batch goes: run here (`runJobsInline`) and answer its report, or hand it to the
 * worker's queue and answer the batch id. The one seam between planning and carrying out.
 */
export type SubmitJobs = (
  batchId: string,
  jobs: readonly MembershipJob[],
) => Promise<BatchReport | QueuedBatch>;

export interface QueuedBatch {
  readonly batchId: string;
  readonly queued: number;
}

export function isBatchReport(value: BatchReport | QueuedBatch): value is BatchReport {
  return 'totals' in value;
}

/** The jobs that carry out a plan: `add` (with role, teams, channels) or `remove`, one batch. */
export function planJobs(plan: Plan, batchId: string): MembershipJob[] {
  const jobs: MembershipJob[] = [];
  for (const p of plan.instances) {
    for (const c of p.changes) {
      const remove = c.kind === 'remove' || c.kind === 'cancel-invitation';
      jobs.push({
        instance: c.instance,
        action: remove ? 'remove' : 'add',
        identifier: c.identifier,
        options: remove ? {} : { ...(c.options ?? {}) },
        batchId,
      });
    }
  }
  return jobs;
}

/** Who each job of a plan is about, for the audit trail. */
export function peopleOfPlan(plan: Plan): PersonLookup {
  const map = new Map<string, PersonRef>();
  for (const p of plan.instances) {
    for (const c of p.changes)
      if (c.person) map.set(`${c.instance}\u0000${c.identifier}`, c.person);
  }
  return (job) => map.get(`${job.instance}\u0000${job.identifier}`);
}

export interface ApplyOptions {
  readonly batchId: string;
  readonly submit: SubmitJobs;
  /** Go on even when the plan breaks `maxRemovalRatio` or `minAdmins`. */
  readonly force?: boolean;
}

/**
 * Carries out a plan as one batch through `submit`, after the safety limits (unless `force`).
 * A plan without changes submits nothing and answers an empty report.
 */
export async function apply(plan: Plan, options: ApplyOptions): Promise<BatchReport | QueuedBatch> {
  assertPlanSafe(plan, { force: options.force ?? false });
  const jobs = planJobs(plan, options.batchId);
  if (jobs.length === 0) {
    return {
      batchId: options.batchId,
      totals: { jobs: 0, succeeded: 0, failed: 0, byResult: {}, byError: {} },
      jobs: [],
    };
  }
  return options.submit(options.batchId, jobs);
}
