import type { BatchStatus } from '@orchester/worker/client';
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
): { update(status: BatchStatus): void; end(): void } {
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
    end() {
      if (tty && drawn) io.stderr.write('\n');
    },
  };
}
