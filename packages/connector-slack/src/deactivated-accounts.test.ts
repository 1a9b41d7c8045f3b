import { FakeClock } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import {
  DEACTIVATED_MAX_AGE_MS,
  type DeactivatedAccount,
  DeactivatedAccounts,
  type DeactivatedPage,
} from './deactivated-accounts.js';

/**
 * A listing of `accounts` in pages of `size`, as they are when each page is read. It counts the
 * pages asked for, fails the pages named in `failing` once each, and can hold a page until opened.
 */
function listing(accounts: DeactivatedAccount[], size = 2) {
  const asked: Array<string | undefined> = [];
  const failing = new Set<number>();
  let gate: Promise<void> = Promise.resolve();
  return {
    asked,
    accounts,
    failing,
    /** Holds the pages asked for from now until `open()` is called. */
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => {
        open = resolve;
      });
      return open;
    },
    async page(cursor: string | undefined): Promise<DeactivatedPage> {
      asked.push(cursor);
      const start = cursor ? Number(cursor) : 0;
      if (failing.delete(start / size)) throw new Error('ratelimited');
      const seen = accounts.slice(start, start + size);
      await gate;
      const end = start + size;
      return { accounts: seen, next: end < accounts.length ? String(end) : undefined };
    },
  };
}

const people = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `U${i}`, email: `p${i}@example.com` }));

describe('DeactivatedAccounts', () => {
  it('reads once for many look-ups, by e-mail in any case, and again once the reading is a minute old', async () => {
    const clock = new FakeClock();
    const source = listing([{ id: 'U1', email: 'Grace@Example.com' }, ...people(2)]);
    const accounts = new DeactivatedAccounts((c) => source.page(c), clock);
    expect(
      await Promise.all([accounts.find('grace@example.com'), accounts.find('ada@example.com')]),
    ).toEqual(['U1', undefined]);
    expect(await accounts.find('GRACE@example.com')).toBe('U1');
    expect(source.asked).toEqual([undefined, '2']);

    source.accounts.push({ id: 'U2', email: 'mona@example.com' });
    await clock.advance(DEACTIVATED_MAX_AGE_MS - 1);
    expect(await accounts.find('mona@example.com')).toBeUndefined();
    await clock.advance(1);
    expect(await accounts.find('mona@example.com')).toBe('U2');
    expect(source.asked).toHaveLength(4);
  });

  it('keeps its own changes, reads anew when asked or after a write whose answer was lost', async () => {
    const source = listing([{ id: 'U1', email: 'grace@example.com' }]);
    const accounts = new DeactivatedAccounts((c) => source.page(c), new FakeClock());
    await accounts.find('grace@example.com');
    accounts.noteActive('grace@example.com');
    accounts.noteDeactivated('Mona@example.com', 'U2');
    expect(await accounts.find('grace@example.com')).toBeUndefined();
    expect(await accounts.find('mona@example.com')).toBe('U2');
    expect(source.asked).toHaveLength(1);

    expect(await accounts.find('grace@example.com', true)).toBe('U1');
    expect(source.asked).toHaveLength(2);
    accounts.drop();
    await accounts.find('grace@example.com');
    expect(source.asked).toHaveLength(3);
  });

  it('applies changes noted while a reading is under way to that reading', async () => {
    const source = listing([{ id: 'U1', email: 'grace@example.com' }]);
    const accounts = new DeactivatedAccounts((c) => source.page(c), new FakeClock());
    const open = source.hold();
    const pending = accounts.find('grace@example.com');
    // Reactivated and someone deactivated after the listing was read, before it arrived.
    accounts.noteActive('grace@example.com');
    accounts.noteDeactivated('mona@example.com', 'U2');
    open();
    expect(await pending).toBeUndefined();
    expect(await accounts.find('mona@example.com')).toBe('U2');
    expect(source.asked).toHaveLength(1);
  });

  it('goes on from the page where a failure (a rate limit) stopped it, asking for each page once', async () => {
    const source = listing(people(6));
    source.failing.add(2);
    const accounts = new DeactivatedAccounts((c) => source.page(c), new FakeClock());
    await expect(accounts.find('p5@example.com')).rejects.toThrow('ratelimited');
    // A change noted between the failure and the next try is kept.
    accounts.noteActive('p0@example.com');
    expect(await accounts.find('p5@example.com')).toBe('U5');
    expect(await accounts.find('p0@example.com')).toBeUndefined();
    expect(source.asked).toEqual([undefined, '2', '4', '4']);
    // Asked for a fresh reading, it starts over.
    source.failing.add(1);
    await expect(accounts.find('p5@example.com', true)).rejects.toThrow('ratelimited');
    await accounts.find('p5@example.com', true);
    expect(source.asked.slice(4)).toEqual([undefined, '2', undefined, '2', '4']);
  });

  it('serves a reading that took long for twice as long as it took', async () => {
    const clock = new FakeClock();
    const source = listing(people(4));
    const accounts = new DeactivatedAccounts(async (c) => {
      await clock.advance(DEACTIVATED_MAX_AGE_MS);
      return source.page(c);
    }, clock);
    await accounts.find('p0@example.com');
    expect(source.asked).toHaveLength(2);
    await clock.advance(4 * DEACTIVATED_MAX_AGE_MS - 1);
    await accounts.find('p0@example.com');
    expect(source.asked).toHaveLength(2);
    await clock.advance(1);
    await accounts.find('p0@example.com');
    expect(source.asked).toHaveLength(4);
  });
});
