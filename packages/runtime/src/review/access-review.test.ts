import { describe, expect, it } from 'vitest';
import { ageInDays, diffReviewSnapshots, reviewAccess } from './access-review.js';
import type { ReviewEntry, ReviewSnapshot } from './review-snapshot.js';

const AT = '2026-11-30T12:00:00.000Z';
const e = (
  instance: string,
  identifier: string,
  extra: Partial<ReviewEntry> = {},
): ReviewEntry => ({
  instance,
  type: instance,
  identifier,
  state: 'member',
  role: 'member',
  ...extra,
});
const snap = (entries: ReviewEntry[], extra: Partial<ReviewSnapshot> = {}): ReviewSnapshot => ({
  version: 1,
  takenAt: AT,
  instances: [...new Set(entries.map((x) => x.instance))].sort().map((instance) => ({
    instance,
    type: instance,
    listed: true,
    entries: entries.filter((x) => x.instance === instance),
  })),
  ...extra,
});

describe('an access review', () => {
  it('counts whole days, and an invitation is stale only past the limit', () => {
    expect(ageInDays('2026-11-16T12:00:00Z', AT)).toBe(14);
    expect(ageInDays('2026-11-16T12:00:01Z', AT)).toBe(13);
    expect(ageInDays(undefined, AT)).toBeUndefined();
    expect(ageInDays('not a date', AT)).toBeUndefined();
    const review = reviewAccess(
      snap([
        e('gh', 'old', { state: 'invited', since: '2026-11-15T12:00:00Z' }),
        e('gh', 'edge', { state: 'invited', since: '2026-11-16T12:00:00Z' }),
        e('sl', 'x@example.com', { state: 'invited', email: 'x@example.com' }),
      ]),
      { staleDays: 14 },
    );
    expect(review.staleInvitations.map((s) => [s.identifier, s.ageDays])).toEqual([['old', 15]]);
    expect(review.invitationsOfUnknownAge).toBe(1);
  });

  it('puts one person on one row across instances, by roster person or e-mail, and never counts a deactivated account as access', () => {
    const ada = { name: 'Ada', email: 'ada@example.com' };
    const review = reviewAccess(
      snap(
        [
          e('gh', 'ada', { person: ada, role: 'admin' }),
          e('sl', 'ada@example.com', { person: ada, email: 'ada@example.com' }),
          e('sl', 'zed@example.com', { email: 'zed@example.com', role: 'owner' }),
          e('tr', 'zed-t', { state: 'deactivated' }),
        ],
        { roster: 'team.yaml' },
      ),
    );
    expect(review.people.map((p) => [p.key, Object.keys(p.access), p.inRoster])).toEqual([
      ['ada@example.com', ['gh', 'sl'], true],
      ['tr:zed-t', ['tr'], false],
      ['zed@example.com', ['sl'], false],
    ]);
    expect(review.summary).toMatchObject({ people: 2, members: 3, deactivated: 1, admins: 2 });
    expect(review.notInRoster.map((x) => x.identifier)).toEqual(['zed@example.com']);
  });

  it('without a roster, lists nobody as missing from it', () => {
    const review = reviewAccess(snap([e('gh', 'bob')]));
    expect(review.notInRoster).toEqual([]);
    expect(review.people[0]?.inRoster).toBeUndefined();
  });

  it('compares two snapshots by identifier: added, removed, role and state changes', () => {
    const before = snap([e('gh', 'bob'), e('gh', 'cy', { state: 'invited' }), e('gh', 'dee')]);
    const after = snap([e('gh', 'bob', { role: 'admin' }), e('gh', 'cy'), e('gh', 'eve')], {
      takenAt: '2026-12-01T00:00:00.000Z',
    });
    const changes = diffReviewSnapshots(before, after);
    expect(changes.since).toBe(AT);
    expect(changes.added.map((x) => x.identifier)).toEqual(['eve']);
    expect(changes.removed.map((x) => x.identifier)).toEqual(['dee']);
    expect(changes.roleChanged.map((r) => [r.entry.identifier, r.fromRole, r.toRole])).toEqual([
      ['bob', 'member', 'admin'],
    ]);
    expect(changes.stateChanged.map((s) => [s.entry.identifier, s.from, s.to])).toEqual([
      ['cy', 'invited', 'member'],
    ]);
  });
});
