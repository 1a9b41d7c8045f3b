import {
  auditJobEnds,
  type BatchReport,
  type ConnectorRegistry,
  type JobReport,
  type MembershipAction,
  type MembershipJob,
  newBatchId,
  optionsSchemaOf,
  parseIdentifier,
  parseOptions,
  runJobsInline,
} from '@orchester/core';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import type { CommandSpec } from '../command-spec.js';
import type { WriteAction } from '../connector-options/describe.js';
import { optionsOfConnector } from '../connector-options/of-connector.js';
import {
  optionFlagTable,
  optionsFor,
  optionsFromFlags,
} from '../connector-options/option-flags.js';
import { optionSetsOf } from '../connector-options/option-sets.js';
import { EXIT } from '../exit-codes.js';
import { INTERACTIVE_RETRY_POLICY, openAudit, warnRetries } from '../inline-batch.js';
import { say, warn } from '../io.js';
import { describeJobReport } from '../output/describe-job.js';
import { exitCodeOfReport } from '../output/exit-code.js';
import { ADD, CHECK, RM } from '../specs/membership.js';

export { INTERACTIVE_RETRY_POLICY };

const SPECS: Record<MembershipAction, CommandSpec> = { check: CHECK, add: ADD, remove: RM };

/**
 * The connector options of every installed connector as flags of `action`, so the command line
 * is parsed once, strictly, before the instance is known. A package without an `./options`
 * entry is described by its loaded connector.
 */
async function connectorFlags(registry: ConnectorRegistry, action: WriteAction) {
  const sets = await optionSetsOf(registry.packages(), async (pkg) =>
    optionsSchemaOf(await registry.loadType(pkg.type)),
  );
  return optionFlagTable(sets, action);
}

/** Builds the one job a `check`/`add`/`rm` command line asks for, validating all of it first. */
export async function prepareSingleJob(
  context: CommandContext,
  action: MembershipAction,
): Promise<{ job: MembershipJob; json: boolean; values: Record<string, unknown> }> {
  const spec = SPECS[action];
  const registry = context.registry();
  const extra = action === 'check' ? {} : await connectorFlags(registry, action);
  const { values, positionals } = parseCommandArgs(spec, context.argv, { extra });
  const [rawIdentifier] = expectPositionals(spec.name, positionals, ['IDENTIFIER']);
  const instance = registry.selectInstance(values.connector as string | undefined);
  const connector = await registry.connectorOf(instance.name);
  const identifier = parseIdentifier(connector, rawIdentifier!);
  let options = {};
  if (action !== 'check') {
    const own = optionsFor(optionsOfConnector(connector), action);
    const where = `${instance.name} (${instance.type})`;
    const raw = optionsFromFlags(values, Object.keys(extra), own, spec.name, where);
    options = parseOptions(connector, action, raw);
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
  if (values.enqueue) return enqueueSingle(context, job, json, values.wait === true);
  if (values.wait) warn(context.io, 'orchest: --wait applies to --enqueue; running here');
  const registry = context.registry();
  // Changes are audited; an audit file that cannot be written stops the command before any change.
  const audit = action === 'check' ? undefined : openAudit(context);
  const report: BatchReport = await runJobsInline(job.batchId, [job], {
    resolver: registry,
    ...(audit ? { onJobDone: auditJobEnds(audit) } : {}),
    limitsFor: (name) => registry.limitsFor(name),
    policy: INTERACTIVE_RETRY_POLICY,
    clock: context.clock,
    signal: context.signal,
    onAttemptFailed: warnRetries(context),
  });
  return printJobReport(context, report.jobs[0] as JobReport, json);
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
  job: MembershipJob,
  json: boolean,
  wait: boolean,
): Promise<number> {
  const { loadQueueClientModule } = await import('../batch/queue-client.js');
  const mod = await loadQueueClientModule();
  const client = await mod.openQueueClient({ config: context.registry().config, env: context.env });
  try {
    const { jobIds } = await client.enqueueBatch(job.batchId, [job]);
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
    const status = await client.waitForBatch(job.batchId, {
      signal: context.signal,
      intervalMs: 200,
    });
    const row = status?.finished ? (await client.report(job.batchId))?.jobs[0] : undefined;
    if (!row) {
      warn(context.io, `orchest: stopped waiting; job ${jobId} goes on in the worker`);
      return EXIT.service;
    }
    return printJobReport(context, row, json);
  } finally {
    await client.close();
  }
}

export const runCheck = (context: CommandContext) => runSingle(context, 'check');
export const runAdd = (context: CommandContext) => runSingle(context, 'add');
export const runRemove = (context: CommandContext) => runSingle(context, 'remove');
export { EXIT };
