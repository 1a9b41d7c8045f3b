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

/** The ids of members some e-mail of this instance is recorded as. */
export async function mappedIds(identities: IdentityMap): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const value of (await identities.entries()).values()) {
    const recorded = recordedOf(value);
    if (recorded.kind === 'member') ids.add(recorded.id);
  }
  return ids;
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

/**
 * The pending invitations that can be the one orchester sent for an e-mail: not there before it
 * was sent, and not recorded for another e-mail. Trello's answer names no e-mail, so when several
 * invitations were sent at once, the full name sent with ours tells them apart; more than one
 * left means Trello did not say which is ours, and orchester records none.
 */
export function invitationCandidates(
  memberships: readonly TrelloMembership[],
  before: ReadonlySet<string>,
  mapped: ReadonlySet<string>,
  fullName: string,
  fullNameOf: (m: TrelloMembership) => string | undefined,
): TrelloMembership[] {
  const fresh = memberships.filter(
    (m) => m.unconfirmed && !before.has(m.idMember) && !mapped.has(m.idMember),
  );
  return fresh.length > 1 ? fresh.filter((m) => fullNameOf(m) === fullName) : fresh;
}
