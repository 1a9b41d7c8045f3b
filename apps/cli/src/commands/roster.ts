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
} from '@orchester/runtime';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { assertCanAsk, confirm } from '../confirm.js';
import { type Dispatch, inlineRetryPolicy, openDispatch, submitOf } from '../dispatch.js';
import { EXIT } from '../exit-codes.js';
import { warnRetry } from '../inline-notes.js';
import { say } from '../io.js';
import { describeBatch } from '../output/describe-batch.js';
import { describePlan } from '../output/describe-plan.js';
import { APPLY, PLAN } from '../specs/roster.js';

/** The plan, its snapshots read with the retry policy of jobs run here (see `inlineRetryPolicy`). */
async function planRoster(context: CommandContext, file: string) {
  const registry = context.registry();
  const roster = await loadRoster(resolve(context.cwd, file), registry);
  return plan(roster, registry, {
    policy: inlineRetryPolicy(context),
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
  // Refuse what cannot work before reading any service: no terminal to ask on, an unwritable
  // audit file, an unreachable Redis.
  if (!values.yes) assertCanAsk(context.io, 'apply');
  const dispatch = await openDispatch(context, { queue: values.inline !== true, audit: true });
  try {
    return await applyPlan(context, file!, values, dispatch);
  } finally {
    await dispatch.close();
  }
}

async function applyPlan(
  context: CommandContext,
  file: string,
  values: { json?: boolean; yes?: boolean; force?: boolean },
  dispatch: Dispatch,
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
  const result = await apply(p, {
    batchId: newBatchId(context.clock.now()),
    submit: submitOf(dispatch, peopleOfPlan(p)),
    force: values.force === true,
  });
  if (json) say(context.io, JSON.stringify({ plan: p, report: result }));
  if (!isBatchReport(result)) {
    if (!json) {
      say(
        context.io,
        `Queued batch ${result.batchId} (${result.queued} jobs) on ${dispatch.queued ? dispatch.client.redisUrl : ''}.`,
      );
      say(context.io, `Follow it with: orchest batch status ${result.batchId} --wait`);
    }
    return EXIT.ok;
  }
  if (!json) for (const line of describeBatch(result, context.paint)) say(context.io, line);
  return result.totals.failed > 0 ? EXIT.service : EXIT.ok;
}
