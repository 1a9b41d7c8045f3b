import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirm } from './confirm.js';

function io(input: string, tty: boolean) {
  const stdin = Object.assign(Readable.from([input]), { isTTY: tty });
  let asked = '';
  return {
    io: { stdout: { write: () => true }, stderr: { write: (s: string) => (asked += s) }, stdin },
    asked: () => asked,
  };
}

describe('confirm', () => {
  it('goes on only for y or yes', async () => {
    for (const [answer, expected] of [
      ['y\n', true],
      ['YES\n', true],
      ['n\n', false],
      ['\n', false],
      ['', false],
    ] as const) {
      const t = io(answer, true);
      expect(await confirm(t.io, 'Apply 3 changes?', 'apply')).toBe(expected);
      expect(t.asked()).toBe('Apply 3 changes? [y/N] ');
    }
  });

  it('refuses without a terminal, naming --yes', async () => {
    await expect(confirm(io('y\n', false).io, 'Apply?', 'apply')).rejects.toThrow(
      /not a terminal.*--yes/,
    );
  });
});
