import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError } from '@orchester/core';
import {
  apply,
  assertPlanSafe,
  FILE_LIMITS,
  FileRefusal,
  isBatchReport,
  loadRosterText,
  looksLikeSavedPlan,
  newBatchId,
  type Plan,
  parseSavedPlan,
  peopleOfPlan,
  plan,
  readBoundedText,
  readSnapshotDeadline,
  type SavedPlan,
  type SnapshotOptions,
  type SubmitJobs,
  savedPlanOf,
  sha256Of,
  staleMemberships,
} from '@orchester/runtime';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { assertCanAsk, confirm } from '../confirm.js';
import { EXIT } from '../exit-codes.js';
import { INTERACTIVE_RETRY_POLICY, openAudit, runInlineBatch, warnRetry } from '../inline-batch.js';
import { say, warn } from '../io.js';
import { describeBatch } from '../output/describe-batch.js';
import { describePlan } from '../output/describe-plan.js';
import { openQueuedSubmit, type QueuedSubmit } from '../queued-submit.js';
import { APPLY, PLAN } from '../specs/roster.js';

/** How plans read the services: the interactive retry policy (that of `apply --inline`'s jobs). */
export function snapshotOptionsOf(context: CommandContext): SnapshotOptions {
  const registry = context.registry();
  return {
    policy: INTERACTIVE_RETRY_POLICY,
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

/** Writes a saved plan owner-only (it names people), whole or not at all. */
function writeSavedPlan(path: string, saved: SavedPlan): void {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, path);
}

/** What `apply` was given: a roster to plan now, or a plan saved by `plan --out`. */
type ApplySource =
  | { readonly kind: 'roster'; readonly file: string }
  | { readonly kind: 'saved'; readonly file: string; readonly saved: SavedPlan };

function applySourceOf(context: CommandContext, file: string): ApplySource {
  const path = resolve(context.cwd, file);
  let text: string;
  try {
    text = readBoundedText(path, 'roster or plan file', FILE_LIMITS.roster);
  } catch (error) {
    if (error instanceof FileRefusal) throw new InvalidInputError(error.message);
    throw error;
  }
  if (!looksLikeSavedPlan(text)) return { kind: 'roster', file };
  return { kind: 'saved', file, saved: parseSavedPlan(text, file) };
}

/** `orchest apply ROSTER|PLAN.json [--inline] [--yes] [--force] [--json]`: carries the plan out as one batch. */
export async function runApply(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(APPLY, context.argv);
  const [file] = expectPositionals('apply', positionals, ['ROSTER']);
  const source = applySourceOf(context, file!);
  // Refuse what cannot work before reading any service.
  const audit = values.inline ? openAudit(context) : undefined;
  if (!values.yes) assertCanAsk(context.io, 'apply');
  const queued = values.inline ? undefined : await openQueuedSubmit(context);
  try {
    return await applyPlan(context, source, values, audit, queued);
  } finally {
    await queued?.close();
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
  if (stale.length > 0) {
    const show = (m: { state: string; role?: string }) =>
      m.role !== undefined ? `${m.state} (${m.role})` : m.state;
    throw new InvalidInputError(
      `refusing to apply ${source.file}: ${stale.length} ${stale.length === 1 ? 'membership it changes has' : 'memberships it changes have'} changed since the plan was made (${saved.createdAt}):\n${stale
        .map((m) => `  - ${m.instance}: ${m.identifier}: was ${show(m.was)}, now ${show(m.now)}`)
        .join(
          '\n',
        )}\nNothing was changed. Make a new plan: orchest plan ${saved.roster.file} --out ${source.file}`,
      { details: { stale: stale.map((m) => ({ ...m })) } },
    );
  }
  return saved.plan;
}

/** True when the roster a saved plan was made from now reads differently; false when unreadable. */
function rosterChanged(saved: SavedPlan): boolean {
  try {
    const now = readBoundedText(saved.roster.file, 'roster', FILE_LIMITS.roster);
    return sha256Of(now) !== saved.roster.sha256;
  } catch {
    return false;
  }
}

async function applyPlan(
  context: CommandContext,
  source: ApplySource,
  values: { json?: boolean; yes?: boolean; force?: boolean },
  audit: ReturnType<typeof openAudit> | undefined,
  queued: QueuedSubmit | undefined,
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
