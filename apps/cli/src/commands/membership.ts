import type { MembershipAction } from '@orchester/core';
import {
  type JobReport,
  type MembershipJob,
  newBatchId,
  parseIdentifier,
  parseOptions,
} from '@orchester/runtime/inline';
import { expectPositionals, flagsOf, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import type { CommandSpec } from '../command-spec.js';
import { openDispatch, type QueuedDispatch } from '../dispatch.js';
import { EXIT } from '../exit-codes.js';
import { say, warn } from '../io.js';
import { describeJobReport } from '../output/describe-job.js';
import { exitCodeOfReport } from '../output/exit-code.js';
import { ADD, CHECK, RM } from '../specs/membership.js';

const SPECS: Record<MembershipAction, CommandSpec> = { check: CHECK, add: ADD, remove: RM };

/** Builds the one job a `check`/`add`/`rm` command line asks for, validating all of it first. */
export async function prepareSingleJob(
  context: CommandContext,
  action: MembershipAction,
): Promise<{ job: MembershipJob; json: boolean; values: Record<string, unknown> }> {
  const spec = SPECS[action];
  const registry = context.registry();
  // Loaded for add and rm only: check takes no connector options.
  const write = action === 'check' ? undefined : action;
  const lines = write ? await import('../connector-options/command-line.js') : undefined;
  const extra = write && lines ? await lines.connectorFlags(registry, write, flagsOf(spec)) : {};
  const { values, positionals } = parseCommandArgs(spec, context.argv, { extra });
  const [rawIdentifier] = expectPositionals(spec.name, positionals, ['IDENTIFIER']);
  const instance = registry.selectInstance(values.connector as string | undefined);
  const connector = await registry.connectorOf(instance.name);
  const identifier = parseIdentifier(connector, rawIdentifier!);
  let options = {};
  if (write && lines) {
    const raw = lines.optionsOfCommandLine(values, extra, connector, instance, write, spec.name);
    options = parseOptions(connector, write, raw);
  }
  // Config problems (missing token...) surface here, before any request.
  await registry.validatedConfig(instance.name);
  return {
    job: {
      instance: instance.name,
      action,
      identifier,
      options,
      batchId: newBatchId(context.clock.now()),
    },
    json: values.json === true,
    values,
  };
}

async function runSingle(context: CommandContext, action: MembershipAction): Promise<number> {
  const { job, json, values } = await prepareSingleJob(context, action);
  const queue = values.enqueue === true;
  if (!queue && values.wait) warn(context.io, 'orchest: --wait applies to --enqueue; running here');
  // Changes are audited; an audit file that cannot be written stops the command before any change.
  const dispatch = await openDispatch(context, { queue, audit: action !== 'check' });
  try {
    if (dispatch.queued)
      return await enqueueSingle(context, dispatch, job, json, values.wait === true);
    const report = await dispatch.run(job.batchId, [job]);
    return printJobReport(context, report.jobs[0] as JobReport, json);
  } finally {
    await dispatch.close();
  }
}

/** One job's end for a person (stdout, or stderr when it failed) or a script (`--json`). */
function printJobReport(context: CommandContext, row: JobReport, json: boolean): number {
  if (json) say(context.io, JSON.stringify(row));
  else if (row.status === 'succeeded') say(context.io, describeJobReport(row, context.paint));
  else warn(context.io, `orchest: ${row.instance}: ${row.error?.message ?? 'failed'}`);
  return exitCodeOfReport(row);
}

/** `--enqueue`: one job on the worker's queue; `--wait` waits for its result. */
async function enqueueSingle(
  context: CommandContext,
  dispatch: QueuedDispatch,
  job: MembershipJob,
  json: boolean,
  wait: boolean,
): Promise<number> {
  const { client } = dispatch;
  const { jobIds } = await dispatch.enqueue(job.batchId, [job]);
  const jobId = jobIds[0]!;
  if (!wait) {
    if (json) say(context.io, JSON.stringify({ ok: true, jobId, batchId: job.batchId }));
    else
      say(
        context.io,
        `enqueued job ${jobId} (batch ${job.batchId}); follow it with: orchest batch status ${job.batchId}`,
      );
    return EXIT.ok;
  }
  const { describeWorkers } = await import('../batch/progress.js');
  const status = await client.waitForBatch(job.batchId, {
    signal: context.signal,
    intervalMs: 200,
    onWorkers: (missing) => warn(context.io, describeWorkers(missing, client.redisUrl)),
  });
  const row = status?.finished ? (await client.report(job.batchId))?.jobs[0] : undefined;
  if (!row) {
    warn(context.io, `orchest: stopped waiting; job ${jobId} goes on in the worker`);
    return EXIT.service;
  }
  return printJobReport(context, row, json);
}

export const runCheck = (context: CommandContext) => runSingle(context, 'check');
export const runAdd = (context: CommandContext) => runSingle(context, 'add');
export const runRemove = (context: CommandContext) => runSingle(context, 'remove');
export { EXIT };
