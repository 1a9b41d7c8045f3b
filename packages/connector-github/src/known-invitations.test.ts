import { describe, expect, it } from 'vitest';
import { KnownInvitations } from './known-invitations.js';

describe('KnownInvitations', () => {
  it('remembers the last 10,000 ids it saw, forgetting the oldest first', () => {
    const known = new KnownInvitations();
    for (let id = 1; id <= 10_000; id++) known.remember(id);
    known.remember(1); // seen again: now the newest
    known.remember(10_001);
    expect(known.has(1)).toBe(true);
    expect(known.has(2)).toBe(false);
    expect(known.has(3)).toBe(true);
    expect(known.has(10_001)).toBe(true);
    expect(known.has(20_000)).toBe(false);
  });
});
