import { resolve } from 'node:path';
import {
  apply,
  assertPlanSafe,
  isBatchReport,
  loadRosterText,
  newBatchId,
  type Plan,
  peopleOfPlan,
  plan,
  readSnapshotDeadline,
  type SnapshotOptions,
  savedPlanOf,
  staleMemberships,
} from '@orchester/runtime';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { assertCanAsk, confirm } from '../confirm.js';
import { type Dispatch, inlineRetryPolicy, openDispatch, submitOf } from '../dispatch.js';
import { EXIT } from '../exit-codes.js';
import { warnRetry } from '../inline-notes.js';
import { say, warn } from '../io.js';
import { describeBatch } from '../output/describe-batch.js';
import { describePlan } from '../output/describe-plan.js';
import {
  type ApplySource,
  applySourceOf,
  rosterChanged,
  staleRefusal,
  writeSavedPlan,
} from '../saved-plan-file.js';
import { APPLY, PLAN } from '../specs/roster.js';

/** How plans read the services: the retry policy of jobs run here (see `inlineRetryPolicy`). */
export function snapshotOptionsOf(context: CommandContext): SnapshotOptions {
  const registry = context.registry();
  return {
    policy: inlineRetryPolicy(context),
    deadlineMs: readSnapshotDeadline(registry.config),
    clock: context.clock,
    signal: context.signal,
    limitsFor: (name) => registry.limitsFor(name),
    onRetry: (instance, error, decision) =>
      warnRetry(context, instance, error, decision, 'reading members: '),
  };
}

/** The roster, its text, and its plan. */
async function planRoster(context: CommandContext, file: string) {
  const registry = context.registry();
  const { roster, text } = await loadRosterText(resolve(context.cwd, file), registry);
  return { roster, text, plan: await plan(roster, registry, snapshotOptionsOf(context)) };
}

/** `orchest plan ROSTER [--out FILE] [--json]`: what apply would change. Changes nothing. */
export async function runPlan(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(PLAN, context.argv);
  const [file] = expectPositionals('plan', positionals, ['ROSTER']);
  const { roster, text, plan: p } = await planRoster(context, file!);
  if (values.json) say(context.io, JSON.stringify(p));
  else for (const line of describePlan(p, context.paint)) say(context.io, line);
  if (values.out !== undefined) {
    const out = resolve(context.cwd, values.out);
    const saved = savedPlanOf(p, roster, text, new Date(context.clock.now()));
    writeSavedPlan(out, saved);
    if (!values.json)
      say(
        context.io,
        `Saved the plan to ${values.out}; carry it out with: orchest apply ${values.out}`,
      );
  }
  return EXIT.ok;
}

/** `orchest apply ROSTER|PLAN.json [--inline] [--yes] [--force] [--json]`: carries the plan out as one batch. */
export async function runApply(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(APPLY, context.argv);
  const [file] = expectPositionals('apply', positionals, ['ROSTER']);
  const source = applySourceOf(context.cwd, file!);
  // Refuse what cannot work before reading any service: no terminal to ask on, an unwritable
  // audit file, an unreachable Redis.
  if (!values.yes) assertCanAsk(context.io, 'apply');
  const dispatch = await openDispatch(context, { queue: values.inline !== true, audit: true });
  try {
    return await applyPlan(context, source, values, dispatch);
  } finally {
    await dispatch.close();
  }
}

/** The plan to carry out: made now from the roster, or the saved one if nothing it changes moved. */
async function planOf(context: CommandContext, source: ApplySource, json: boolean): Promise<Plan> {
  if (source.kind === 'roster') {
    const { plan: p } = await planRoster(context, source.file);
    if (!json) for (const line of describePlan(p, context.paint)) say(context.io, line);
    return p;
  }
  const { saved } = source;
  if (rosterChanged(saved))
    warn(
      context.io,
      `orchest: note: ${saved.roster.file} changed since this plan was made; the saved plan is carried out as saved (plan again to include the changes)`,
    );
  if (!json) {
    say(context.io, `Saved plan made ${saved.createdAt} from ${saved.roster.file}:`);
    for (const line of describePlan(saved.plan, context.paint)) say(context.io, line);
  }
  const stale = await staleMemberships(saved, context.registry(), snapshotOptionsOf(context));
  if (stale.length > 0) throw staleRefusal(source.file, saved, stale);
  return saved.plan;
}

async function applyPlan(
  context: CommandContext,
  source: ApplySource,
  values: { json?: boolean; yes?: boolean; force?: boolean },
  dispatch: Dispatch,
): Promise<number> {
  const json = values.json === true;

  const p = await planOf(context, source, json);
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
