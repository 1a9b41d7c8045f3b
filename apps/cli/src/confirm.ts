import { createInterface } from 'node:readline';
import type { CommandIo } from './io.js';
import { UsageError } from './usage-error.js';

/**
 * Asks a y/N question on a terminal. Without a terminal nobody can answer, so it refuses
 * (exit 2) and names the flag that skips the question.
 */
export async function confirm(io: CommandIo, question: string, command: string): Promise<boolean> {
  assertCanAsk(io, command);
  const stdin = io.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
  io.stderr.write(`${question} [y/N] `);
  const rl = createInterface({ input: stdin });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Refuses early (exit 2) when nobody can answer a question: standard input is not a terminal. */
export function assertCanAsk(io: CommandIo, command: string): void {
  if (!(io.stdin as { isTTY?: boolean }).isTTY) {
    throw new UsageError(
      `${command}: standard input is not a terminal, so orchest cannot ask before changing anything; pass --yes to go on without asking`,
    );
  }
}
