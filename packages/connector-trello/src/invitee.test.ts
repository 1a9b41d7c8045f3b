import { describe, expect, it } from 'vitest';
import {
  invitationCandidates,
  pendingValue,
  recordedOf,
  type TrelloMembership,
  unmappedInvitations,
} from './invitee.js';

const membership = (idMember: string, unconfirmed: boolean, fullName = idMember) =>
  ({
    id: `m-${idMember}`,
    idMember,
    memberType: 'normal',
    unconfirmed,
    deactivated: false,
    member: { id: idMember, username: idMember, fullName },
  }) satisfies TrelloMembership;

const nameOf = (m: TrelloMembership) => m.member?.fullName;

describe('telling which pending invitation an e-mail became', () => {
  const before = [membership('old-invite', true), membership('member', false)];

  it('is the one pending invitation that was not there before and is nobody else’s', () => {
    const after = [...before, membership('mapped', true), membership('new', true)];
    const found = invitationCandidates(
      after,
      unmappedInvitations(before, new Set()),
      new Set(['mapped']),
      'x',
      nameOf,
    );
    expect(found.map((m) => m.idMember)).toEqual(['new']);
  });

  it('tells invitations sent at the same time apart by the full name sent', () => {
    const after = [...before, membership('a', true, 'Ann'), membership('b', true, 'Bob')];
    const seen = unmappedInvitations(before, new Set());
    expect(
      invitationCandidates(after, seen, new Set(), 'Bob', nameOf).map((m) => m.idMember),
    ).toEqual(['b']);
    // Same name: not told apart, so none is taken for it.
    const twins = [...before, membership('a', true, 'Sam'), membership('b', true, 'Sam')];
    expect(invitationCandidates(twins, seen, new Set(), 'Sam', nameOf)).toHaveLength(2);
  });

  it('never takes a member or an invitation that was there before', () => {
    expect(
      invitationCandidates(before, unmappedInvitations(before, new Set()), new Set(), 'x', nameOf),
    ).toEqual([]);
  });

  it('keeps the pending note (full name and ids) readable back', () => {
    const value = pendingValue('Ann: the 1st', new Set(['a', 'b']));
    expect(recordedOf(value)).toEqual({
      kind: 'pending',
      fullName: 'Ann: the 1st',
      before: new Set(['a', 'b']),
    });
    expect(recordedOf(pendingValue('Ann', new Set()))).toEqual({
      kind: 'pending',
      fullName: 'Ann',
      before: new Set(),
    });
    expect(recordedOf('5a0000000000000000000001')).toEqual({
      kind: 'member',
      id: '5a0000000000000000000001',
    });
    expect(recordedOf(undefined)).toEqual({ kind: 'none' });
  });
});
