import { InvalidInputError, toOrchesterError } from '@orchester/core';
import type { QueueClient } from '@orchester/queue';
import { openQueueClientOf } from './batch/queue-client.js';
import type { CommandContext } from './command-context.js';
import type { QueuedDispatch } from './dispatch.js';
import { say } from './io.js';
import { UsageError } from './usage-error.js';

// A time with its offset: the same instant wherever the worker runs. Seconds are optional.
const AT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** The instant an ISO 8601 time with offset names, or NaN; no rolling over (Feb 30 is not Mar 2). */
function instantOf(value: string): number {
  const m = AT.exec(value);
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, s = '0', ms = '0'] = m.slice(1, 8).map((x) => x ?? '0');
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s, +ms.padEnd(3, '0'));
  const back = new Date(wall);
  if (
    back.getUTCFullYear() !== +y! ||
    back.getUTCMonth() !== +mo! - 1 ||
    back.getUTCDate() !== +d! ||
    back.getUTCHours() !== +h! ||
    back.getUTCMinutes() !== +mi! ||
    back.getUTCSeconds() !== +s
  )
    return Number.NaN;
  if (m[8] === 'Z') return wall;
  const [oh, om] = [+m[10]!, +m[11]!];
  if (oh > 14 || om > 59) return Number.NaN;
  return wall - (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
}

/** `--at TIME` as ms since the epoch: an ISO 8601 time with its offset, in the future. */
export function parseAt(value: string, now: number): number {
  const at = instantOf(value);
  if (Number.isNaN(at))
    throw new UsageError(
      `--at "${value}": not a time orchester can read; give a date, time and offset, e.g. --at 2026-12-31T18:00+01:00 or --at 2026-12-31T17:00Z`,
    );
  if (at <= now)
    throw new UsageError(
      `--at "${value}": that time has passed (now ${new Date(now).toISOString()}); give a time to come, or leave --at out to run now`,
    );
  return at;
}

/**
 * The worker's queue, for jobs scheduled with `--at`: they can only wait there. Without one
 * (Redis unreachable, no queue package) the command is refused, exit 2, before anything is sent.
 */
async function openSchedulingClient(context: CommandContext): Promise<QueueClient> {
  try {
    return await openQueueClientOf(context);
  } catch (error) {
    const why = toOrchesterError(error).message.replace(
      /, or run without the queue with --inline$/,
      '',
    );
    throw new InvalidInputError(
      `--at: scheduled jobs wait on the worker's queue, and there is none: ${why}. Nothing was scheduled`,
      { cause: error },
    );
  }
}

/** A queued dispatch whose jobs wait on the queue until `runAt`. */
export async function openScheduledDispatch(
  context: CommandContext,
  runAt: number,
): Promise<QueuedDispatch> {
  const client = await openSchedulingClient(context);
  return {
    queued: true,
    client,
    enqueue: (batchId, jobs) => client.enqueueBatch(batchId, jobs, { runAt }),
    close: () => client.close(),
  };
}

/** Where a scheduled batch waits, and how to take it back. */
export function sayScheduled(context: CommandContext, batchId: string, runAt: number): void {
  say(context.io, `scheduled for ${new Date(runAt).toISOString()}: the worker runs it then`);
  say(context.io, `see it with: orchest batch status ${batchId}`);
  say(context.io, `cancel it before then with: orchest batch cancel ${batchId}`);
}
