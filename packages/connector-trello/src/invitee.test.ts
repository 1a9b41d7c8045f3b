import { describe, expect, it } from 'vitest';
import {
  matchInvitation,
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
const none = { mapped: new Set<string>(), pending: 0 };

describe('telling which pending invitation an e-mail became', () => {
  const before = [membership('old-invite', true, 'Ann'), membership('member', false, 'Ann')];
  const seen = unmappedInvitations(before, new Set());

  it('is the new pending invitation with the full name sent, never one there before or recorded', () => {
    const after = [
      ...before,
      membership('mapped', true, 'Ann'),
      membership('other', true, 'Bob'),
      membership('ours', true, 'Ann'),
    ];
    const others = { mapped: new Set(['mapped']), pending: 1 };
    expect(matchInvitation(after, seen, others, 'Ann', nameOf)).toEqual({
      match: after[4],
      fresh: 2,
    });
  });

  it('takes a newcomer with another name only when nothing else of orchester is in flight', () => {
    // An e-mail of an existing Trello account: the membership carries that account's name.
    const after = [...before, membership('existing', true, 'Dana D.')];
    expect(matchInvitation(after, seen, none, 'dana', nameOf).match?.idMember).toBe('existing');
    expect(matchInvitation(after, seen, { ...none, pending: 1 }, 'dana', nameOf)).toEqual({
      fresh: 1,
    });
  });

  it('tells nothing when two newcomers carry the name sent, or when nothing is new', () => {
    const twins = [...before, membership('a', true, 'Sam'), membership('b', true, 'Sam')];
    expect(matchInvitation(twins, seen, none, 'Sam', nameOf)).toEqual({ fresh: 2 });
    expect(matchInvitation(before, seen, none, 'Ann', nameOf)).toEqual({ fresh: 0 });
  });

  it('keeps the pending note (full name and ids) readable back', () => {
    expect(recordedOf(pendingValue('Ann: the 1st', new Set(['a', 'b'])))).toEqual({
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
