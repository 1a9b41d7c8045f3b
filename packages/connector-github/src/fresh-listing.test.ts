import { describe, expect, it } from 'vitest';
import { FreshListing } from './fresh-listing.js';

/** A listing whose each run waits until the test ends it. */
function controlledListing() {
  const runs: Array<{ resolve(items: string[]): void; reject(error: Error): void }> = [];
  const listing = new FreshListing<string>(
    () =>
      new Promise<string[]>((resolve, reject) => {
        runs.push({ resolve, reject });
      }),
  );
  return { listing, runs };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('FreshListing', () => {
  it('starts a listing for the first caller, and shares the next one among everyone who asked while it ran', async () => {
    const { listing, runs } = controlledListing();
    const first = listing.read();
    expect(runs).toHaveLength(1);
    const second = listing.read();
    const third = listing.read();
    // Nobody who asked during the first listing gets it: it began before they asked.
    expect(runs).toHaveLength(1);
    runs[0]!.resolve(['a']);
    expect(await first).toEqual(['a']);
    await tick();
    expect(runs).toHaveLength(2);
    // Asking now, while the second runs, waits for a third.
    const fourth = listing.read();
    runs[1]!.resolve(['a', 'b']);
    expect(await second).toEqual(['a', 'b']);
    expect(await third).toEqual(['a', 'b']);
    await tick();
    expect(runs).toHaveLength(3);
    runs[2]!.resolve(['c']);
    expect(await fourth).toEqual(['c']);
  });

  it('a failed listing fails only those who shared it; the next caller starts afresh', async () => {
    const { listing, runs } = controlledListing();
    const first = listing.read();
    const second = listing.read();
    runs[0]!.reject(new Error('502'));
    await expect(first).rejects.toThrow('502');
    await tick();
    runs[1]!.resolve(['x']);
    expect(await second).toEqual(['x']);
    const third = listing.read();
    expect(runs).toHaveLength(3);
    runs[2]!.resolve(['y']);
    expect(await third).toEqual(['y']);
  });

  it('a caller after a finished listing gets a new one, never the old answer', async () => {
    const { listing, runs } = controlledListing();
    const first = listing.read();
    runs[0]!.resolve(['old']);
    await first;
    await tick();
    const later = listing.read();
    expect(runs).toHaveLength(2);
    runs[1]!.resolve(['new']);
    expect(await later).toEqual(['new']);
  });
});
