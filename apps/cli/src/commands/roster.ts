import { resolve } from 'node:path';
import {
  apply,
  assertPlanSafe,
  isBatchReport,
  loadRoster,
  newBatchId,
  peopleOfPlan,
  plan,
  readSnapshotDeadline,
  type SubmitJobs,
} from '@orchester/runtime';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { assertCanAsk, confirm } from '../confirm.js';
import { EXIT } from '../exit-codes.js';
import { INTERACTIVE_RETRY_POLICY, openAudit, runInlineBatch, warnRetry } from '../inline-batch.js';
import { say } from '../io.js';
import { describeBatch } from '../output/describe-batch.js';
import { describePlan } from '../output/describe-plan.js';
import { openQueuedSubmit, type QueuedSubmit } from '../queued-submit.js';
import { APPLY, PLAN } from '../specs/roster.js';

/** The plan, its snapshots read with the interactive retry policy (that of `apply --inline`'s jobs). */
async function planRoster(context: CommandContext, file: string) {
  const registry = context.registry();
  const roster = await loadRoster(resolve(context.cwd, file), registry);
  return plan(roster, registry, {
    policy: INTERACTIVE_RETRY_POLICY,
    deadlineMs: readSnapshotDeadline(registry.config),
    clock: context.clock,
    signal: context.signal,
    limitsFor: (name) => registry.limitsFor(name),
    onRetry: (instance, error, decision) =>
      warnRetry(context, instance, error, decision, 'reading members: '),
  });
}

/** `orchest plan ROSTER [--json]`: what apply would change. Changes nothing. */
export async function runPlan(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(PLAN, context.argv);
  const [file] = expectPositionals('plan', positionals, ['ROSTER']);
  const p = await planRoster(context, file!);
  if (values.json) say(context.io, JSON.stringify(p));
  else for (const line of describePlan(p, context.paint)) say(context.io, line);
  return EXIT.ok;
}

/** `orchest apply ROSTER [--inline] [--yes] [--force] [--json]`: carries the plan out as one batch. */
export async function runApply(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(APPLY, context.argv);
  const [file] = expectPositionals('apply', positionals, ['ROSTER']);
  // Refuse what cannot work before reading any service.
  const audit = values.inline ? openAudit(context) : undefined;
  if (!values.yes) assertCanAsk(context.io, 'apply');
  const queued = values.inline ? undefined : await openQueuedSubmit(context);
  try {
    return await applyPlan(context, file!, values, audit, queued);
  } finally {
    await queued?.close();
  }
}

async function applyPlan(
  context: CommandContext,
  file: string,
  values: { json?: boolean; yes?: boolean; force?: boolean },
  audit: ReturnType<typeof openAudit> | undefined,
  queued: QueuedSubmit | undefined,
): Promise<number> {
  const json = values.json === true;

  const p = await planRoster(context, file);
  if (!json) for (const line of describePlan(p, context.paint)) say(context.io, line);
  assertPlanSafe(p, { force: values.force === true });
  if (p.summary.changes === 0) {
    if (json) say(context.io, JSON.stringify({ plan: p, report: null }));
    return EXIT.ok;
  }
  if (!values.yes) {
    const go = await confirm(context.io, `Apply ${p.summary.changes} changes?`, 'apply');
    if (!go) {
      say(context.io, 'Nothing changed.');
      return EXIT.ok;
    }
  }
  const personOf = peopleOfPlan(p);
  const submit: SubmitJobs = audit
    ? (batchId, jobs) => runInlineBatch(context, audit, batchId, jobs, personOf)
    : queued!.submit;
  const result = await apply(p, {
    batchId: newBatchId(context.clock.now()),
    submit,
    force: values.force === true,
  });
  if (json) say(context.io, JSON.stringify({ plan: p, report: result }));
  if (!isBatchReport(result)) {
    if (!json) {
      say(
        context.io,
        `Queued batch ${result.batchId} (${result.queued} jobs) on ${queued?.redisUrl}.`,
      );
      say(context.io, `Follow it with: orchest batch status ${result.batchId} --wait`);
    }
    return EXIT.ok;
  }
  if (!json) for (const line of describeBatch(result, context.paint)) say(context.io, line);
  return result.totals.failed > 0 ? EXIT.service : EXIT.ok;
}
