import { describe, expect, it } from 'vitest';
import { AttemptChanges } from './attempt-changes.js';
import { MemoryChangeJournal } from './change-journal.js';
import { ConflictError, TransientError } from './errors.js';

const key = { batchId: 'b1', jobId: 'b1.gh.add.x' };

describe('AttemptChanges', () => {
  it('notes a change before sending it, and keeps the note when the answer is lost', async () => {
    const journal = new MemoryChangeJournal();
    const first = new AttemptChanges(journal, key, undefined);
    await expect(
      first.change('invited', async () => {
        expect(await journal.earlier(key)).toBe('invited');
        throw new TransientError('connection reset');
      }),
    ).rejects.toThrow('connection reset');
    expect(first.leftBehind()).toEqual({ outcome: 'invited', confirmed: false });
    const retry = new AttemptChanges(journal, key, await journal.earlier(key));
    expect(retry.settle({ outcome: 'already-invited', role: 'member' })).toMatchObject({
      outcome: 'invited',
      confirmedOnRetry: true,
    });
  });

  it('forgets a change the service refused, or answered as changing nothing', async () => {
    const journal = new MemoryChangeJournal();
    const refused = new AttemptChanges(journal, key, undefined);
    await expect(
      refused.change('invited', async () => {
        throw new ConflictError('no');
      }),
    ).rejects.toThrow();
    expect(await journal.earlier(key)).toBeUndefined();
    expect(refused.leftBehind()).toBeUndefined();

    // "already in team": the write changed nothing, so a later failure of the job is no change of orchester's.
    const unchanged = new AttemptChanges(journal, key, undefined);
    const answer = await unchanged.change('invited', async () => 'already_in_team', {
      changed: (a) => a !== 'already_in_team',
    });
    expect(answer).toBe('already_in_team');
    expect(await journal.earlier(key)).toBeUndefined();
    expect(unchanged.leftBehind()).toBeUndefined();
    const later = new AttemptChanges(journal, key, await journal.earlier(key));
    expect(later.settle({ outcome: 'already-member' })).toEqual({ outcome: 'already-member' });
  });

  it("keeps an earlier attempt's note when this attempt's write changes nothing", async () => {
    // A write-first service: the first PUT landed and its answer was lost; the retry's PUT
    // answers "already there", and a later step of the retry fails.
    const journal = new MemoryChangeJournal();
    await journal.note(key, 'added');
    const retry = new AttemptChanges(journal, key, 'added');
    await retry.change('added', async () => 200, { changed: (status) => status === 201 });
    expect(await journal.earlier(key)).toBe('added');
    expect(retry.leftBehind()).toEqual({ outcome: 'added', confirmed: false });
    expect(retry.settle({ outcome: 'already-member' })).toMatchObject({
      outcome: 'added',
      confirmedOnRetry: true,
    });
  });
});
