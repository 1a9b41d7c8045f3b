import { describe, expect, it } from 'vitest';
import { createdBeforeRequest } from './invitation-age.js';

const answered = 'Mon, 30 Nov 2026 12:00:10 GMT';

describe('createdBeforeRequest', () => {
  it('an invitation created in the same second as the answer, or one round trip earlier, is the request’s own', () => {
    expect(createdBeforeRequest('2026-11-30T12:00:10Z', answered, 40, 0)).toBe(false);
    // Created at :09.9, answered at :10.1: whole seconds make that :09 and :10.
    expect(createdBeforeRequest('2026-11-30T12:00:09Z', answered, 200, 0)).toBe(false);
    // A slow answer: created 3 s before it, within the 3.5 s round trip.
    expect(createdBeforeRequest('2026-11-30T12:00:07Z', answered, 3_500, 0)).toBe(false);
  });

  it('an invitation older than the round trip and a second was there before the request', () => {
    expect(createdBeforeRequest('2026-11-30T12:00:08Z', answered, 40, 0)).toBe(true);
    expect(createdBeforeRequest('2026-11-01T09:00:00Z', answered, 40, 0)).toBe(true);
    expect(createdBeforeRequest('2026-11-30T12:00:05Z', answered, 3_500, 0)).toBe(true);
  });

  it('without a date header, the local clock stands in with a minute of allowance', () => {
    const local = Date.parse('2026-11-30T12:00:10Z');
    expect(createdBeforeRequest('2026-11-30T11:59:30Z', undefined, 40, local)).toBe(false);
    expect(createdBeforeRequest('2026-11-30T11:58:00Z', undefined, 40, local)).toBe(true);
    expect(createdBeforeRequest('2026-11-30T11:58:00Z', 'not a date', 40, local)).toBe(true);
  });

  it('an unreadable created_at never counts as older', () => {
    expect(createdBeforeRequest('yesterday', answered, 40, 0)).toBe(false);
  });
});
