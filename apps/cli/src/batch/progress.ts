import type { BatchStatus } from '@orchester/queue';
import type { CommandIo } from '../io.js';

/** One line of totals: "450/1000 done (440 ok, 10 failed), 30 active, 520 waiting". */
export function statusLine(status: BatchStatus): string {
  return `${status.done}/${status.total} done (${status.succeeded} ok, ${status.failed} failed), ${status.active} active, ${status.waiting} waiting`;
}

/**
 * Shows a batch's progress: a bar redrawn in place on a terminal, plain lines at most every
 * `plainEveryMs` otherwise (logs, CI).
 */
export function progressReporter(
  io: CommandIo,
  plainEveryMs = 5_000,
): { update(status: BatchStatus): void; note(line: string): void; end(): void } {
  const tty = io.stderr.isTTY === true;
  let lastPlain = 0;
  let drawn = false;
  return {
    update(status) {
      if (tty) {
        const width = 30;
        const share = status.total === 0 ? 1 : status.done / status.total;
        const filled = Math.round(share * width);
        const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
        io.stderr.write(`\r[${bar}] ${Math.floor(share * 100)}% ${statusLine(status)}\u001b[K`);
        drawn = true;
        return;
      }
      const now = Date.now();
      if (now - lastPlain >= plainEveryMs || status.finished) {
        lastPlain = now;
        io.stderr.write(`batch ${status.batchId}: ${statusLine(status)}\n`);
      }
    },
    /** A line of its own; on a terminal the bar is cleared first and redrawn at the next update. */
    note(line) {
      io.stderr.write(tty && drawn ? `\r\u001b[K${line}\n` : `${line}\n`);
    },
    end() {
      if (tty && drawn) io.stderr.write('\n');
    },
  };
}

/** What to tell someone waiting when instances have no worker consuming their queue, or again do. */
export function describeWorkers(missing: readonly string[], redisUrl: string): string {
  return missing.length > 0
    ? `orchest: no worker is consuming the queue of ${missing.join(', ')} (Redis at ${redisUrl}): start orchester-worker with this config, or run with --inline; still waiting`
    : 'orchest: a worker is consuming the queue again';
}
