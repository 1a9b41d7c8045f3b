import { describe, expect, it } from 'vitest';
import { parseAt } from './schedule.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0); // 2026-11-30T12:00Z

describe('parseAt', () => {
  it('reads a time with its offset as the instant it names', () => {
    expect(parseAt('2026-12-31T18:00+01:00', NOW)).toBe(Date.UTC(2026, 11, 31, 17, 0));
    expect(parseAt('2026-12-31T18:00:30-05:30', NOW)).toBe(Date.UTC(2026, 11, 31, 23, 30, 30));
    expect(parseAt('2026-12-01T00:00:00.250Z', NOW)).toBe(Date.UTC(2026, 11, 1, 0, 0, 0, 250));
  });

  it('refuses a day, hour or offset that does not exist, rather than rolling it over', () => {
    for (const bad of [
      '2026-02-30T10:00Z',
      '2026-12-31T24:00Z',
      '2026-12-31T18:60Z',
      '2026-12-31T18:00+15:00',
      '2026-12-31T18:00',
      '2026-12-31 18:00Z',
      'next friday',
    ])
      expect(() => parseAt(bad, NOW), bad).toThrow(`--at "${bad}": not a time orchester can read`);
  });

  it('refuses now and the past, naming the flag', () => {
    expect(() => parseAt('2026-11-30T12:00Z', NOW)).toThrow(
      '--at "2026-11-30T12:00Z": that time has passed (now 2026-11-30T12:00:00.000Z)',
    );
    expect(() => parseAt('2026-11-30T12:30+01:00', NOW)).toThrow('that time has passed');
  });
});
