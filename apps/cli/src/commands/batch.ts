import { resolve } from 'node:path';
import { InvalidInputError, isOrchesterError } from '@orchester/core';
import type { BatchStatus, QueueClient } from '@orchester/queue';
import {
  BATCH_ID,
  type BatchReport,
  type MembershipJob,
  newBatchId,
  previewChanges,
  previewJobs,
} from '@orchester/runtime';
import { expectPositionals, flagsOf, parseCommandArgs, wordsOf } from '../args.js';
import { buildBatchJobs } from '../batch/build-jobs.js';
import { INLINE_REPORT_LIMITS, InlineReports, statusOfInline } from '../batch/inline-reports.js';
import { describeWorkers, progressReporter, statusLine } from '../batch/progress.js';
import { openQueueClientOf } from '../batch/queue-client.js';
import { readBatchFile } from '../batch/read-batch-file.js';
import { reportCsv } from '../batch/report-format.js';
import type { CommandContext } from '../command-context.js';
import { openDispatch } from '../dispatch.js';
import { EXIT } from '../exit-codes.js';
import { say, warn } from '../io.js';
import { describeJobReport } from '../output/describe-job.js';
import { describePreview } from '../output/describe-preview.js';
import { openScheduledDispatch, parseAt, sayScheduled } from '../schedule.js';
import { BATCH, BATCH_APPLY, BATCH_CANCEL, BATCH_STATUS } from '../specs/batch.js';
import { UsageError } from '../usage-error.js';
import { snapshotOptionsOf } from './roster.js';

const USAGE = `usage: ${BATCH.usage.map((u) => `orchest ${u}`).join(' | ')}`;

/** `orchest batch apply|status|report`, each with its own flags. */
export async function runBatch(context: CommandContext): Promise<number> {
  const [sub] = wordsOf(
    context.argv,
    flagsOf(BATCH, Object.assign({}, ...BATCH.subcommands.map((s) => s.flags))),
  );
  const spec = BATCH.subcommands.find((s) => s.name === sub);
  if (!spec) {
    throw new UsageError(
      `batch: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}; ${USAGE}`,
    );
  }
  const command = `batch ${spec.name}`;
  const { values, positionals } = parseCommandArgs(spec, context.argv, { command });
  const rest = positionals.slice(1);
  if (spec === BATCH_APPLY)
    return apply(context, expectPositionals(command, rest, ['FILE'])[0]!, values);
  if (spec === BATCH_STATUS) return status(context, batchIdArg(command, rest), values);
  if (spec === BATCH_CANCEL) return cancel(context, batchIdArg(command, rest), values);
  return report(context, batchIdArg(command, rest), values);
}

function batchIdArg(command: string, rest: string[]): string {
  const [id] = expectPositionals(command, rest, ['ID']);
  if (!BATCH_ID.test(id!))
    throw new UsageError(`${command}: "${id}" is not a batch id (letters, digits, - and _)`);
  return id!;
}

interface Flags {
  readonly inline?: boolean | undefined;
  readonly wait?: boolean | undefined;
  readonly id?: string | undefined;
  readonly json?: boolean | undefined;
  readonly format?: string | undefined;
  readonly 'dry-run'?: boolean | undefined;
  readonly at?: string | undefined;
}

async function apply(context: CommandContext, file: string, flags: Flags): Promise<number> {
  if (flags.inline && flags.wait) warn(context.io, 'orchest: --wait is implied by --inline');
  if (flags.at !== undefined && (flags.inline || flags['dry-run']))
    throw new UsageError(
      `batch apply: --at schedules the batch on the worker's queue; it cannot go with ${flags.inline ? '--inline' : '--dry-run'}`,
    );
  const runAt = flags.at === undefined ? undefined : parseAt(flags.at, context.clock.now());
  const batchId = flags.id ?? newBatchId(context.clock.now());
  if (!BATCH_ID.test(batchId))
    throw new InvalidInputError(`--id "${batchId}": letters, digits, - and _ (1-64)`);
  const registry = context.registry();
  const rows = readBatchFile(resolve(context.cwd, file));
  const jobs = await buildBatchJobs(rows, registry, batchId);
  // Config problems (a missing token...) surface now, before anything is enqueued or sent.
  for (const instance of new Set(jobs.map((j) => j.instance)))
    await registry.validatedConfig(instance);
  // A valid file gives one job per row, in order.
  if (flags['dry-run'])
    return dryRun(
      context,
      jobs,
      rows.map((r) => r.row),
      flags.json === true,
    );

  // Changes run here are audited; an audit file that cannot be written stops the batch first.
  // A scheduled batch can only wait on the queue: without one it is refused (exit 2).
  const dispatch =
    runAt === undefined
      ? await openDispatch(context, { queue: flags.inline !== true, audit: true })
      : await openScheduledDispatch(context, runAt);
  try {
    if (!dispatch.queued) {
      const startedAt = new Date(context.clock.now());
      const progress = progressReporter(context.io);
      let done = 0;
      let failed = 0;
      const result = await dispatch.run(batchId, jobs, {
        onJobDone: (row) => {
          done += 1;
          if (row.status === 'failed') failed += 1;
          progress.update({
            batchId,
            createdAt: '',
            total: jobs.length,
            done,
            succeeded: done - failed,
            failed,
            active: 0,
            waiting: jobs.length - done,
            finished: done === jobs.length,
            unconfirmed: 0,
            instances: [],
          });
        },
      });
      progress.end();
      keepInlineReport(context, result, startedAt);
      return printFinal(context, result, flags.json === true);
    }
    const result = await dispatch.enqueue(batchId, jobs).catch((error: unknown) => {
      // A refusal (a cancelled batch) is not fixed by trying again.
      if (isOrchesterError(error) && error.category === 'input') throw error;
      warn(
        context.io,
        `orchest: once Redis is back, run "orchest batch apply ${file} --id ${batchId}" again to finish enqueuing this batch`,
      );
      throw error;
    });
    if (flags.json && !flags.wait)
      say(
        context.io,
        JSON.stringify({
          ok: true,
          batchId,
          jobs: jobs.length,
          enqueued: result.enqueued,
          new: result.added,
          resumed: result.resumed,
          alreadyQueued: result.alreadyQueued,
          alreadyFinished: result.alreadyFinished,
          ...(runAt !== undefined ? { scheduledFor: new Date(runAt).toISOString() } : {}),
        }),
      );
    else if (!flags.json) {
      say(context.io, `batch ${batchId}: ${describeEnqueue(jobs.length, result)}`);
      if (runAt !== undefined) sayScheduled(context, batchId, runAt);
      else if (!flags.wait)
        say(context.io, `follow it with: orchest batch status ${batchId} --wait`);
    }
    if (!flags.wait) return EXIT.ok;
    return await waitAndReport(context, dispatch.client, batchId, flags.json === true);
  } finally {
    await dispatch.close();
  }
}

/** `batch apply FILE --dry-run`: what each row would do, from one snapshot per instance; changes nothing. */
async function dryRun(
  context: CommandContext,
  jobs: readonly MembershipJob[],
  rowNumbers: readonly number[],
  json: boolean,
): Promise<number> {
  const previews = (await previewJobs(jobs, context.registry(), snapshotOptionsOf(context))).map(
    (p, i) => ({ row: rowNumbers[i]!, ...p }),
  );
  const changes = previews.filter((p) => previewChanges(p.would)).length;
  if (json) say(context.io, JSON.stringify({ dryRun: true, changes, rows: previews }));
  else for (const line of describePreview(previews, changes, context.paint)) say(context.io, line);
  return EXIT.ok;
}

/** "2000 jobs enqueued", or on a re-apply "2000 jobs, 0 new (792 already queued, 1208 already finished)". */
function describeEnqueue(
  rows: number,
  result: { added: number; resumed: number; alreadyQueued: number; alreadyFinished: number },
): string {
  const known = [
    result.resumed > 0 ? `${result.resumed} from an earlier enqueue that was cut off` : '',
    result.alreadyQueued > 0 ? `${result.alreadyQueued} already queued` : '',
    result.alreadyFinished > 0 ? `${result.alreadyFinished} already finished` : '',
  ].filter(Boolean);
  return known.length === 0
    ? `${rows} jobs enqueued`
    : `${rows} jobs, ${result.added} new (${known.join(', ')})`;
}

/** Keeps the inline batch's report for `batch report`/`status`; a failure to is a warning only. */
function keepInlineReport(context: CommandContext, report: BatchReport, startedAt: Date): void {
  const reports = inlineReportsOf(context);
  try {
    const { kept, bytes } = reports.save(report, startedAt, new Date(context.clock.now()));
    if (!kept)
      warn(
        context.io,
        `orchest: warning: the report of batch ${report.batchId} is not kept: ${Math.ceil(bytes / 1_048_576)} MB is over the ${INLINE_REPORT_LIMITS.fileBytes / 1_048_576} MB limit`,
      );
  } catch (error) {
    warn(context.io, `orchest: warning: ${(error as Error).message}`);
  }
}

function inlineReportsOf(context: CommandContext): InlineReports {
  return InlineReports.of(context.config(), context.env.HOME || undefined);
}

/**
 * The queue client, for a batch not run inline. Without one (Redis unreachable, no worker
 * package), says first that no inline report of the batch is kept either.
 */
async function openClientFor(context: CommandContext, batchId: string) {
  try {
    return await openQueueClientOf(context);
  } catch (error) {
    warn(
      context.io,
      `orchest: no report of an inline batch ${batchId} is kept in ${inlineReportsOf(context).dir}, and queued batches are in Redis:`,
    );
    throw error;
  }
}

async function waitAndReport(
  context: CommandContext,
  client: QueueClient,
  batchId: string,
  json: boolean,
): Promise<number> {
  const progress = progressReporter(context.io);
  const final = await client.waitForBatch(batchId, {
    signal: context.signal,
    onProgress: (s) => progress.update(s),
    onWorkers: (missing) => progress.note(describeWorkers(missing, client.redisUrl)),
  });
  progress.end();
  if (!final)
    throw new InvalidInputError(
      `no batch ${batchId} in Redis at ${client.redisUrl} (unknown, or expired)`,
    );
  if (!final.finished) {
    warn(
      context.io,
      final.unconfirmed > 0 && !context.signal.aborted
        ? `orchest: stopped waiting; batch ${batchId}: ${unconfirmedNote(final)}`
        : `orchest: stopped waiting; batch ${batchId} goes on in the worker (${statusLine(final)})`,
    );
    return EXIT.service;
  }
  const report = await client.report(batchId);
  if (!report) throw new InvalidInputError(`no report for batch ${batchId}`);
  return printFinal(context, report, json);
}

/** What to say of jobs an enqueue announced but never saw on the queue. */
function unconfirmedNote(status: { batchId: string; unconfirmed: number }): string {
  return `${status.unconfirmed} jobs not confirmed on the queue (not counted above): their enqueue was cut off, or is still running; apply the same file again with --id ${status.batchId} to finish it`;
}

function printFinal(context: CommandContext, report: BatchReport, json: boolean): number {
  const { totals } = report;
  if (json)
    say(context.io, JSON.stringify({ ok: totals.failed === 0, batchId: report.batchId, totals }));
  else {
    const results = Object.entries(totals.byResult)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    say(
      context.io,
      `batch ${report.batchId}: ${totals.succeeded}/${totals.jobs} succeeded${results ? ` (${results})` : ''}, ${totals.failed} failed`,
    );
    for (const job of report.jobs.filter((j) => j.status === 'failed').slice(0, 20))
      say(context.io, `  ${describeJobReport(job, context.paint)} [${job.error?.code}]`);
    if (totals.failed > 20)
      say(
        context.io,
        `  ... and ${totals.failed - 20} more: orchest batch report ${report.batchId}`,
      );
  }
  return totals.failed === 0 ? EXIT.ok : EXIT.service;
}

async function status(context: CommandContext, batchId: string, flags: Flags): Promise<number> {
  const inline = inlineReportsOf(context).find(batchId);
  if (inline) {
    const current = statusOfInline(inline);
    if (flags.json) say(context.io, JSON.stringify({ ...current, inline: true }));
    else printStatus(context, current, `ran inline ${inline.startedAt} to ${inline.finishedAt}`);
    return EXIT.ok;
  }
  const client = await openClientFor(context, batchId);
  try {
    if (flags.wait) return await waitAndReport(context, client, batchId, flags.json === true);
    const current = await client.status(batchId);
    if (!current)
      throw new InvalidInputError(
        `no batch ${batchId} in Redis at ${client.redisUrl} (unknown, or expired), nor an inline one in ${inlineReportsOf(context).dir}`,
      );
    if (flags.json) {
      say(context.io, JSON.stringify(current));
      return EXIT.ok;
    }
    printStatus(context, current, `created ${current.createdAt}`);
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

function printStatus(context: CommandContext, current: BatchStatus, when: string): void {
  const scheduled =
    current.scheduledFor !== undefined ? `, scheduled for ${current.scheduledFor}` : '';
  say(
    context.io,
    `batch ${current.batchId} (${when}${scheduled}): ${statusLine(current)}${current.finished ? ' — finished' : ''}`,
  );
  if (current.cancelledAt !== undefined)
    say(
      context.io,
      `  cancelled ${current.cancelledAt}: ${current.cancelled} ${current.cancelled === 1 ? 'job' : 'jobs'} taken off the queue before ${current.cancelled === 1 ? 'it' : 'they'} ran`,
    );
  else if (
    current.scheduledFor !== undefined &&
    current.done === 0 &&
    Date.parse(current.scheduledFor) > context.clock.now()
  )
    say(
      context.io,
      `  scheduled: ${current.total} jobs wait on the queue until ${current.scheduledFor}`,
    );
  if (current.unconfirmed > 0) say(context.io, `  ${unconfirmedNote(current)}`);
  for (const row of current.instances) {
    const results = Object.entries(row.byResult).map(([k, v]) => `${v} ${k}`);
    const errors = Object.entries(row.byError).map(([k, v]) => `${v} ${k}`);
    say(
      context.io,
      `  ${row.instance}: ${row.succeeded + row.failed}/${row.total} done, ${row.active} active, ${row.waiting} waiting${results.length ? `; ok: ${results.join(', ')}` : ''}${errors.length ? `; failed: ${errors.join(', ')}` : ''}`,
    );
  }
}

/** `batch cancel ID`: takes a batch's jobs that have not run off the queue. */
async function cancel(context: CommandContext, batchId: string, flags: Flags): Promise<number> {
  if (inlineReportsOf(context).find(batchId))
    throw new InvalidInputError(
      `batch ${batchId} ran inline; it already ran and cannot be cancelled`,
    );
  const client = await openClientFor(context, batchId);
  try {
    const result = await client.cancelBatch(batchId);
    if (!result)
      throw new InvalidInputError(
        `no batch ${batchId} in Redis at ${client.redisUrl} (unknown, or expired)`,
      );
    if (flags.json)
      say(
        context.io,
        JSON.stringify({
          ok: result.cancelled === true || result.alreadyCancelledAt !== undefined,
          ...result,
        }),
      );
    if (result.alreadyCancelledAt !== undefined) {
      if (!flags.json)
        say(
          context.io,
          `batch ${batchId} was already cancelled ${result.alreadyCancelledAt}; nothing more to do`,
        );
      return EXIT.ok;
    }
    if (!result.cancelled) {
      if (!flags.json)
        warn(
          context.io,
          `orchest: batch ${batchId} already ran (${result.ended} ${result.ended === 1 ? 'job' : 'jobs'} ended); nothing was cancelled. See: orchest batch report ${batchId}`,
        );
      return EXIT.usage;
    }
    if (!flags.json) {
      say(
        context.io,
        `batch ${batchId}: cancelled; ${result.removed} ${result.removed === 1 ? 'job' : 'jobs'} taken off the queue before ${result.removed === 1 ? 'it' : 'they'} ran`,
      );
      if (result.running > 0 || result.ended > 0)
        say(
          context.io,
          `  ${result.ended} had already ended and ${result.running} had started (one not yet at the service ends as ORCH_CANCELLED): orchest batch report ${batchId}`,
        );
    }
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

async function report(context: CommandContext, batchId: string, flags: Flags): Promise<number> {
  const format = flags.format ?? (flags.json ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json')
    throw new UsageError(`batch report: --format must be csv or json, not "${format}"`);
  const print = (result: BatchReport) => {
    if (format === 'json') say(context.io, JSON.stringify(result));
    else context.io.stdout.write(reportCsv(result));
    return EXIT.ok;
  };
  const inline = inlineReportsOf(context).find(batchId);
  if (inline) return print(inline);
  const client = await openClientFor(context, batchId);
  try {
    const result = await client.report(batchId);
    if (!result)
      throw new InvalidInputError(
        `no batch ${batchId} in Redis at ${client.redisUrl} (unknown, or expired), nor an inline one in ${inlineReportsOf(context).dir}`,
      );
    return print(result);
  } finally {
    await client.close();
  }
}
