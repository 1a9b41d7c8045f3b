import { describe, expect, it } from 'vitest';
import { runShutdown, type ShutdownStep } from './shutdown.js';

const never = () => new Promise<never>(() => {});

describe('runShutdown', () => {
  it('runs each step after the one before has ended, in the order given', async () => {
    const log: string[] = [];
    const step = (name: string, ms: number): ShutdownStep => ({
      name,
      deadlineMs: 5_000,
      run: async () => {
        log.push(`${name} start`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name} end`);
      },
    });
    const ends = await runShutdown([step('drift', 30), step('drain', 10), step('redis', 0)]);
    expect(log).toEqual([
      'drift start',
      'drift end',
      'drain start',
      'drain end',
      'redis start',
      'redis end',
    ]);
    expect(ends).toEqual([
      { name: 'drift', finished: true },
      { name: 'drain', finished: true },
      { name: 'redis', finished: true },
    ]);
  });

  it('cuts a step at its deadline and goes on; a failed step does not stop the next', async () => {
    const cut: string[] = [];
    const ran: string[] = [];
    const started = Date.now();
    const ends = await runShutdown([
      { name: 'drain', deadlineMs: 50, run: never, atDeadline: () => cut.push('drain') },
      {
        name: 'connectors',
        deadlineMs: 50,
        run: async () => {
          ran.push('connectors');
          throw new Error('close failed');
        },
        atDeadline: () => cut.push('connectors'),
      },
      { name: 'redis', deadlineMs: 50, run: async () => ran.push('redis') },
    ]);
    expect(cut).toEqual(['drain']);
    expect(ran).toEqual(['connectors', 'redis']);
    expect(ends.map((e) => [e.name, e.finished, (e.error as Error | undefined)?.message])).toEqual([
      ['drain', false, undefined],
      ['connectors', true, 'close failed'],
      ['redis', true, undefined],
    ]);
    // The step that never ends held the shutdown for its deadline, not longer.
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
