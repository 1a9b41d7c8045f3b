import { type Clock, TransientError } from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { MAX_REDOS, writeUntilSeen } from './settle-write.js';

/** A clock whose sleeps return at once and are written down. */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms) => void slept.push(ms) };
}
const signal = new AbortController().signal;

describe('writeUntilSeen', () => {
  it('sends the write again after each loss, pausing up to twice as long each time', async () => {
    const clock = recordingClock();
    let landed = 0;
    const sent: Array<string | undefined> = [];
    const seen = await writeUntilSeen(
      {
        what: 'sharing',
        write: async (before) => {
          sent.push(before);
          landed += 1;
        },
        // Drive loses the first two writes.
        readBack: async () => (landed >= 3 ? 'there' : 'missing'),
        done: (s) => s === 'there',
      },
      'start',
      clock,
      signal,
      () => 1,
    );
    expect(seen).toBe('there');
    // Each write is told what the last read showed.
    expect(sent).toEqual(['start', 'missing', 'missing']);
    expect(clock.slept).toEqual([250, 500]);
  });

  it(`gives up as transient after ${MAX_REDOS} writes sent again, the pauses capped at 8 s`, async () => {
    const clock = recordingClock();
    let writes = 0;
    const error = await writeUntilSeen(
      {
        what: 'Google Drive (d): sharing f with a@example.com',
        write: async () => {
          writes += 1;
        },
        readBack: async () => undefined,
        done: () => false,
      },
      undefined,
      clock,
      signal,
      () => 1,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(
      'Google Drive (d): sharing f with a@example.com: Drive lost the write to other changes of the item 9 times in a row',
    );
    expect(writes).toBe(MAX_REDOS + 1);
    expect(clock.slept).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
});
