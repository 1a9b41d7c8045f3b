import type { IdentityMap } from '@orchester/core';

/** A member as Trello nests it in a membership (`member=true`) or lists it in an answer. */
export interface TrelloMember {
  readonly id: string;
  readonly username: string;
  readonly fullName?: string;
  /** Null for everyone but the token's owner (and for the owner without the `account` scope). */
  readonly email?: string | null;
  readonly confirmed?: boolean;
}

/** One entry of `GET /1/organizations/{id}/memberships`. */
export interface TrelloMembership {
  readonly id: string;
  readonly idMember: string;
  readonly memberType: 'normal' | 'admin';
  /** Invited by e-mail and not yet accepted. */
  readonly unconfirmed: boolean;
  readonly deactivated: boolean;
  readonly member?: TrelloMember;
}

/**
 * An identity-map value that is not yet an id: an invitation was sent and its answer not seen,
 * `pending:<full name sent, URI-encoded>:<ids of the unrecorded pending invitations before it>`.
 */
const PENDING = 'pending:';

/** What the identity map says of an e-mail. */
export type Recorded =
  | { readonly kind: 'none' }
  | { readonly kind: 'member'; readonly id: string }
  | {
      readonly kind: 'pending';
      readonly fullName: string;
      readonly before: ReadonlySet<string>;
    };

export function recordedOf(value: string | undefined): Recorded {
  if (value === undefined) return { kind: 'none' };
  if (!value.startsWith(PENDING)) return { kind: 'member', id: value };
  const rest = value.slice(PENDING.length);
  const colon = rest.indexOf(':');
  return {
    kind: 'pending',
    fullName: decodeURIComponent(rest.slice(0, Math.max(colon, 0))),
    before: new Set(
      rest
        .slice(colon + 1)
        .split(',')
        .filter(Boolean),
    ),
  };
}

export function pendingValue(fullName: string, before: ReadonlySet<string>): string {
  return `${PENDING}${encodeURIComponent(fullName)}:${[...before].join(',')}`;
}

/** What the identity map holds besides one e-mail: the ids recorded, and the invitations in flight. */
export interface OtherRecords {
  /** Member ids recorded for any e-mail of this instance. */
  readonly mapped: ReadonlySet<string>;
  /** Other e-mails with an invitation sent and its member not yet known. */
  readonly pending: number;
}

export async function otherRecords(identities: IdentityMap, email: string): Promise<OtherRecords> {
  const mapped = new Set<string>();
  let pending = 0;
  for (const [other, value] of await identities.entries()) {
    const recorded = recordedOf(value);
    if (recorded.kind === 'member') mapped.add(recorded.id);
    else if (recorded.kind === 'pending' && other !== email) pending += 1;
  }
  return { mapped, pending };
}

/** Pending invitations no e-mail is recorded for: what an invitation of ours must not be taken for. */
export function unmappedInvitations(
  memberships: readonly TrelloMembership[],
  mapped: ReadonlySet<string>,
): Set<string> {
  return new Set(
    memberships.filter((m) => m.unconfirmed && !mapped.has(m.idMember)).map((m) => m.idMember),
  );
}

/** Which pending invitation orchester's invitation of an e-mail is, if that can be told. */
export interface InvitationMatch {
  readonly match?: TrelloMembership;
  /** Pending invitations new since it was sent and recorded for no e-mail. */
  readonly fresh: number;
}

/**
 * The pending invitation orchester sent for an e-mail. Trello's answers name no e-mail, so it is
 * told by elimination: new since the invitation was sent (not in `before`) and recorded for no
 * other e-mail; among those, the one with the full name sent. A newcomer with another name (an
 * e-mail of an existing Trello account keeps that account's name) is taken only when it is the
 * only newcomer and no other invitation of orchester's is in flight. Anything else is not told.
 */
export function matchInvitation(
  memberships: readonly TrelloMembership[],
  before: ReadonlySet<string>,
  others: OtherRecords,
  fullName: string,
  fullNameOf: (m: TrelloMembership) => string | undefined,
): InvitationMatch {
  const fresh = memberships.filter(
    (m) => m.unconfirmed && !before.has(m.idMember) && !others.mapped.has(m.idMember),
  );
  const named = fresh.filter((m) => fullNameOf(m) === fullName);
  if (named.length === 1) return { match: named[0]!, fresh: fresh.length };
  if (named.length === 0 && fresh.length === 1 && others.pending === 0)
    return { match: fresh[0]!, fresh: 1 };
  return { fresh: fresh.length };
}
