import { FakeClock } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import {
  DEACTIVATED_MAX_AGE_MS,
  type DeactivatedAccount,
  DeactivatedAccounts,
} from './deactivated-accounts.js';

/** A listing of `accounts` as they are when it is read, counting its readings. */
function listing(accounts: DeactivatedAccount[]) {
  const reads = { count: 0 };
  let gate: Promise<void> = Promise.resolve();
  return {
    reads,
    accounts,
    /** Holds the next readings until `open()` is called. */
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => {
        open = resolve;
      });
      return open;
    },
    async *list() {
      reads.count += 1;
      const seen = [...accounts];
      await gate;
      yield* seen;
    },
  };
}

describe('DeactivatedAccounts', () => {
  it('reads once for many look-ups, by e-mail in any case, and again once the reading is too old', async () => {
    const clock = new FakeClock();
    const source = listing([{ id: 'U1', email: 'Grace@Example.com' }]);
    const accounts = new DeactivatedAccounts(() => source.list(), clock);
    expect(
      await Promise.all([accounts.find('grace@example.com'), accounts.find('ada@example.com')]),
    ).toEqual(['U1', undefined]);
    expect(await accounts.find('GRACE@example.com')).toBe('U1');
    expect(source.reads.count).toBe(1);

    source.accounts.push({ id: 'U2', email: 'mona@example.com' });
    await clock.advance(DEACTIVATED_MAX_AGE_MS - 1);
    expect(await accounts.find('mona@example.com')).toBeUndefined();
    await clock.advance(1);
    expect(await accounts.find('mona@example.com')).toBe('U2');
    expect(source.reads.count).toBe(2);
  });

  it('keeps its own changes, reads anew when asked or after a write whose answer was lost', async () => {
    const source = listing([{ id: 'U1', email: 'grace@example.com' }]);
    const accounts = new DeactivatedAccounts(() => source.list(), new FakeClock());
    await accounts.find('grace@example.com');
    accounts.noteActive('grace@example.com');
    accounts.noteDeactivated('Mona@example.com', 'U2');
    expect(await accounts.find('grace@example.com')).toBeUndefined();
    expect(await accounts.find('mona@example.com')).toBe('U2');
    expect(source.reads.count).toBe(1);

    expect(await accounts.find('grace@example.com', true)).toBe('U1');
    expect(source.reads.count).toBe(2);
    accounts.drop();
    await accounts.find('grace@example.com');
    expect(source.reads.count).toBe(3);
  });

  it('applies changes noted while a reading is under way to that reading', async () => {
    const source = listing([{ id: 'U1', email: 'grace@example.com' }]);
    const accounts = new DeactivatedAccounts(() => source.list(), new FakeClock());
    const open = source.hold();
    const pending = accounts.find('grace@example.com');
    // Reactivated and someone deactivated after the listing was read, before it arrived.
    accounts.noteActive('grace@example.com');
    accounts.noteDeactivated('mona@example.com', 'U2');
    open();
    expect(await pending).toBeUndefined();
    expect(await accounts.find('mona@example.com')).toBe('U2');
    expect(source.reads.count).toBe(1);
  });

  it('lets a failed reading fail its look-ups and reads again on the next', async () => {
    let fail = true;
    const accounts = new DeactivatedAccounts(async function* () {
      if (fail) throw new Error('Slack is down');
      yield { id: 'U1', email: 'grace@example.com' };
    }, new FakeClock());
    await expect(accounts.find('grace@example.com')).rejects.toThrow('Slack is down');
    fail = false;
    expect(await accounts.find('grace@example.com')).toBe('U1');
  });
});
