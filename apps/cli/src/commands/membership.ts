import {
  auditJobEnds,
  type BatchReport,
  type JobReport,
  type MembershipAction,
  type MembershipJob,
  newBatchId,
  parseIdentifier,
  parseOptions,
  runJobsInline,
} from '@orchester/core';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { INTERACTIVE_RETRY_POLICY, openAudit } from '../inline-batch.js';
import { say, warn } from '../io.js';
import { describeJobReport } from '../output/describe-job.js';
import { exitCodeOfReport } from '../output/exit-code.js';

export { INTERACTIVE_RETRY_POLICY };

const COMMAND_NAME: Record<MembershipAction, string> = { check: 'check', add: 'add', remove: 'rm' };

/** Builds the one job a `check`/`add`/`rm` command line asks for, validating all of it first. */
export async function prepareSingleJob(
  context: CommandContext,
  action: MembershipAction,
): Promise<{ job: MembershipJob; json: boolean; values: Record<string, unknown> }> {
  const name = COMMAND_NAME[action];
  const { values, positionals } = parseCommandArgs(name, context.argv, {
    role: { type: 'string' },
    enqueue: { type: 'boolean' },
    wait: { type: 'boolean' },
  });
  const [rawIdentifier] = expectPositionals(name, positionals, ['IDENTIFIER']);
  const registry = context.registry();
  const instance = registry.selectInstance(values.connector);
  const connector = await registry.connectorOf(instance.name);
  const identifier = parseIdentifier(connector, rawIdentifier!);
  if (action === 'check' && values.role !== undefined) {
    warn(context.io, 'orchest: --role is ignored by check');
  }
  const options =
    action === 'check'
      ? {}
      : parseOptions(connector, action, values.role ? { role: values.role } : {});
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
  const { job, json } = await prepareSingleJob(context, action);
  const registry = context.registry();
  // Changes are audited; an audit file that cannot be written stops the command before any change.
  const audit = action === 'check' ? undefined : openAudit(context);
  const report: BatchReport = await runJobsInline(job.batchId, [job], {
    resolver: registry,
    ...(audit
      ? {
          onJobDone: auditJobEnds({
            ...audit,
            onWriteError: (error) =>
              warn(context.io, `orchest: warning: ${(error as Error).message}`),
          }),
        }
      : {}),
    limitsFor: (name) => registry.limitsFor(name),
    policy: INTERACTIVE_RETRY_POLICY,
    clock: context.clock,
    signal: context.signal,
    onAttemptFailed: (_job, error, decision) => {
      if (decision.action === 'retry') {
        const seconds = Math.ceil(decision.delayMs / 1000);
        warn(
          context.io,
          `orchest: ${error.message}; ${decision.spendsAttempt ? 'retrying' : 'waiting as the service asked'} in ${seconds} s`,
        );
      }
    },
  });
  const row = report.jobs[0] as JobReport;
  if (json) say(context.io, JSON.stringify(row));
  else if (row.status === 'succeeded') say(context.io, describeJobReport(row));
  else warn(context.io, `orchest: ${row.instance}: ${row.error?.message ?? 'failed'}`);
  return exitCodeOfReport(row);
}

export const runCheck = (context: CommandContext) => runSingle(context, 'check');
export const runAdd = (context: CommandContext) => runSingle(context, 'add');
export const runRemove = (context: CommandContext) => runSingle(context, 'remove');
export { EXIT };
