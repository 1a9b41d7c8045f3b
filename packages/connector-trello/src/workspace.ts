import {
  type ChangeAttempt,
  type ChangeResult,
  type CheckResult,
  ConflictError,
  type ConnectorInstance,
  ERROR_CODES,
  type IdentityMap,
  InvalidIdentifierError,
  isOrchesterError,
  type MemberRecord,
  type MembershipOptions,
} from '@orchester/core';
import type { TrelloClient } from './client.js';
import { isEmail } from './config.js';
import {
  matchInvitation,
  otherRecords,
  pendingValue,
  type Recorded,
  recordedOf,
  type TrelloMember,
  type TrelloMembership,
  unmappedInvitations,
} from './invitee.js';

export type { TrelloMember, TrelloMembership } from './invitee.js';

export interface WorkspaceOptions {
  /** The instance name, for messages that say which command to run. */
  readonly instance: string;
  readonly organization: string;
  readonly removeFromBoards: boolean;
  /** e-mail -> member id, learned from the invitations orchester sends. */
  readonly identities: IdentityMap;
}

/** What `PUT /1/organizations/{id}/members` (an e-mail invitation) answers. */
interface InvitationAnswer {
  readonly members?: readonly TrelloMember[];
  readonly memberships?: readonly TrelloMembership[];
}

type Role = 'normal' | 'admin';

/**
 * One Trello workspace. Every operation reads the memberships once (members included) and then
 * makes at most one write, addressing a member by username or id: no `/1/members/` lookups,
 * which Trello limits to 100 per 900 s. Trello shows nobody's e-mail address, so a person known
 * by e-mail is found through the identity map, which records the member each invitation made.
 */
export class TrelloWorkspace implements ConnectorInstance {
  constructor(
    private readonly client: TrelloClient,
    private readonly options: WorkspaceOptions,
  ) {}

  private get ids(): IdentityMap {
    return this.options.identities;
  }

  private get org() {
    return { subject: 'organization' as const, name: this.options.organization };
  }

  async memberships(): Promise<TrelloMembership[]> {
    return this.client.request<TrelloMembership[]>({
      method: 'GET',
      route: '/1/organizations/{id}/memberships',
      params: { id: this.options.organization },
      query: { filter: 'all', member: true },
      ...this.org,
    });
  }

  /**
   * Proves the API key, the token and the workspace with the read every check makes (never
   * `/1/members/`, which has a budget of its own). Whether the token's owner is an admin shows
   * only on the first write.
   */
  async verify(): Promise<void> {
    await this.memberships();
  }

  private byUsername(username: string, memberships: readonly TrelloMembership[]) {
    return memberships.find((m) => m.member?.username.toLowerCase() === username);
  }

  /**
   * The member an e-mail is, from the identity map; an invitation whose answer was lost is
   * settled here from the memberships when its pending invitation can be told apart.
   */
  private async memberOf(
    email: string,
    memberships: readonly TrelloMembership[],
  ): Promise<
    | { kind: 'none' }
    | { kind: 'member'; id: string }
    | { kind: 'unsettled'; note: Extract<Recorded, { kind: 'pending' }>; fresh: number }
  > {
    const recorded = recordedOf(await this.ids.get(email));
    if (recorded.kind !== 'pending') return recorded;
    const { match, fresh } = matchInvitation(
      memberships,
      recorded.before,
      await otherRecords(this.ids, email),
      recorded.fullName,
      (m) => m.member?.fullName,
    );
    if (!match) return { kind: 'unsettled', note: recorded, fresh };
    await this.ids.set(email, match.idMember);
    return { kind: 'member', id: match.idMember };
  }

  private unknownEmail(email: string, why: 'never-invited' | 'unsettled'): InvalidIdentifierError {
    const how = `give the Trello username instead: orchest rm USERNAME -c ${this.options.instance}`;
    return new InvalidIdentifierError(
      why === 'never-invited'
        ? `Trello never shows e-mail addresses, and orchester has no record of which Trello member ${email} is (it learns that only from an invitation it sends itself); ${how}`
        : `orchester invited ${email} but Trello's answer was lost, and Trello does not say which pending invitation is theirs; ${how}`,
      { details: { identifier: email } },
    );
  }

  async check(identifier: string): Promise<CheckResult> {
    if (!isEmail(identifier)) {
      const found = this.byUsername(identifier, await this.memberships());
      return found ? stateOf(found) : { state: 'absent' };
    }
    if (recordedOf(await this.ids.get(identifier)).kind === 'none') {
      // Not "absent": Trello would not show this e-mail even on a member.
      return {
        state: 'absent',
        partial: true,
        detail: `Trello shows no e-mail addresses and orchester never invited this one to ${this.options.instance}; check the Trello username`,
      };
    }
    const memberships = await this.memberships();
    const who = await this.memberOf(identifier, memberships);
    if (who.kind !== 'member') {
      return {
        state: 'absent',
        partial: true,
        detail:
          'orchester sent an invitation whose answer was lost and cannot tell which pending invitation it is; check the Trello username',
      };
    }
    const found = memberships.find((m) => m.idMember === who.id);
    return found ? stateOf(found) : { state: 'absent' };
  }

  async add(
    identifier: string,
    options: MembershipOptions,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    const asked = options.role === 'admin' || options.role === 'normal' ? options.role : undefined;
    const memberships = await this.memberships();
    if (!isEmail(identifier)) {
      const found = this.byUsername(identifier, memberships);
      if (found) return this.alreadyThere(found, asked, attempt);
      const role = asked ?? 'normal';
      // Trello takes a username where it takes a member id on this route; a 404 is no such user.
      await attempt.change('added', () => this.setType(identifier, role, 'member', identifier));
      return { outcome: 'added', role };
    }
    const fullName = options.fullName ?? displayNameFromEmail(identifier);
    const who = await this.memberOf(identifier, memberships);
    if (who.kind === 'member') {
      const found = memberships.find((m) => m.idMember === who.id);
      if (found) return this.alreadyThere(found, asked, attempt);
    }
    // Sent again after a lost answer, the invitation keeps the note of what was there before it.
    const before = who.kind === 'unsettled' ? who.note.before : undefined;
    return this.invite(identifier, asked ?? 'normal', fullName, memberships, attempt, before);
  }

  /** The person is in the workspace: reactivate, change the type asked for, or nothing. */
  private async alreadyThere(
    found: TrelloMembership,
    asked: Role | undefined,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    const name = found.member?.username ?? found.idMember;
    if (found.deactivated) {
      await attempt.change('reactivated', () =>
        this.client.request({
          method: 'PUT',
          route: '/1/organizations/{id}/members/{idMember}/deactivated',
          params: { id: this.options.organization, idMember: found.idMember },
          query: { value: false },
          subject: 'membership',
          name,
        }),
      );
      return {
        outcome: 'reactivated',
        role: found.memberType,
        detail: 'was deactivated; reactivated, not re-invited',
      };
    }
    if (found.unconfirmed) return { outcome: 'already-invited', role: found.memberType };
    // Change the type only when one was asked for: a plain add never demotes an admin.
    if (asked && found.memberType !== asked) {
      await attempt.change('role-changed', () =>
        this.setType(found.idMember, asked, 'membership', name),
      );
      return { outcome: 'role-changed', role: asked, detail: `was ${found.memberType}` };
    }
    return { outcome: 'already-member', role: found.memberType };
  }

  /**
   * Invites an e-mail and records which member Trello made of it. Before sending, the map holds
   * a pending note with the unrecorded invitations already there, so that the new one can be
   * told apart, also by a retry after a lost answer; the id replaces the note once it is told.
   */
  private async invite(
    email: string,
    role: Role,
    fullName: string,
    memberships: readonly TrelloMembership[],
    attempt: ChangeAttempt,
    noted?: ReadonlySet<string>,
  ): Promise<ChangeResult> {
    const before =
      noted ?? unmappedInvitations(memberships, (await otherRecords(this.ids, email)).mapped);
    await this.ids.set(email, pendingValue(fullName, before));
    // Inside the change: an answer that shows nothing new means Trello made no change.
    const told = await attempt.change('invited', async () => {
      const answer = await this.client.request<InvitationAnswer>({
        method: 'PUT',
        route: '/1/organizations/{id}/members',
        params: { id: this.options.organization },
        query: { email, fullName, type: role },
        ...this.org,
      });
      // Nothing to tell the member by: the pending note stays, and a later read settles it.
      if (!Array.isArray(answer?.memberships)) return undefined;
      const fullNames = new Map((answer.members ?? []).map((m) => [m.id, m.fullName]));
      const result = matchInvitation(
        answer.memberships,
        before,
        await otherRecords(this.ids, email),
        fullName,
        (m) => fullNames.get(m.idMember),
      );
      if (result.fresh === 0) {
        // The e-mail is someone already in the workspace, and Trello hides who, so orchester
        // cannot say whether they have access (a deactivated member has none).
        await this.ids.delete(email);
        throw new ConflictError(
          `Trello already has ${email} in the workspace (a member, a pending invitation or a deactivated member) and does not say which member that is, so orchester cannot tell whether they have access; add them by username: orchest add USERNAME -c ${this.options.instance}`,
          { details: { identifier: email } },
        );
      }
      return result;
    });
    if (told?.match) {
      await this.ids.set(email, told.match.idMember);
      return { outcome: 'invited', role };
    }
    return {
      outcome: 'invited',
      role,
      ...(told
        ? {
            detail: `Trello does not say which of ${told.fresh} new pending invitations is this e-mail's (give each a distinct fullName); orchester tells once the others are known, or remove it by username`,
          }
        : {}),
    };
  }

  private setType(
    idMember: string,
    type: Role,
    subject: 'member' | 'membership',
    name: string,
  ): Promise<unknown> {
    return this.client.request({
      method: 'PUT',
      route: '/1/organizations/{id}/members/{idMember}',
      params: { id: this.options.organization, idMember },
      query: { type },
      subject,
      name,
    });
  }

  async remove(
    identifier: string,
    options: MembershipOptions,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    // Fails before any request when orchester cannot know who the e-mail is.
    if (isEmail(identifier) && recordedOf(await this.ids.get(identifier)).kind === 'none')
      throw this.unknownEmail(identifier, 'never-invited');
    const memberships = await this.memberships();
    let found: TrelloMembership | undefined;
    if (isEmail(identifier)) {
      const who = await this.memberOf(identifier, memberships);
      if (who.kind !== 'member') throw this.unknownEmail(identifier, 'unsettled');
      found = memberships.find((m) => m.idMember === who.id);
    } else {
      found = this.byUsername(identifier, memberships);
    }
    if (!found) return { outcome: 'not-member' };
    return this.removeMembership(found, identifier, options, attempt);
  }

  private async removeMembership(
    found: TrelloMembership,
    identifier: string,
    options: MembershipOptions,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    const fromBoards =
      typeof options.removeFromBoards === 'boolean'
        ? options.removeFromBoards
        : this.options.removeFromBoards;
    const gone = await attempt.change(
      found.unconfirmed ? 'invitation-cancelled' : 'removed',
      async () => {
        try {
          await this.client.request({
            method: 'DELETE',
            route: fromBoards
              ? '/1/organizations/{id}/members/{idMember}/all'
              : '/1/organizations/{id}/members/{idMember}',
            params: { id: this.options.organization, idMember: found.idMember },
            subject: 'membership',
            name: identifier,
          });
          return false;
        } catch (error) {
          // Gone between our read and our delete (someone else removed them): nothing left to do.
          if (isOrchesterError(error) && error.code === ERROR_CODES.notFound) return true;
          throw error;
        }
      },
    );
    if (gone) return { outcome: 'not-member' };
    const boards = fromBoards ? ' and from every board of the workspace' : '';
    if (found.unconfirmed)
      return { outcome: 'invitation-cancelled', ...(boards ? { detail: `removed${boards}` } : {}) };
    return {
      outcome: 'removed',
      role: found.memberType,
      ...(found.deactivated || boards
        ? { detail: `${found.deactivated ? 'was deactivated; ' : ''}removed${boards}` }
        : {}),
    };
  }

  async *list(): AsyncIterable<MemberRecord> {
    const [memberships, recorded] = await Promise.all([this.memberships(), this.ids.entries()]);
    // Trello shows no e-mail: the e-mails orchester invited are the ones it can name.
    const emailOf = new Map<string, string>();
    for (const [email, value] of recorded) {
      const r = recordedOf(value);
      if (r.kind === 'member') emailOf.set(r.id, email);
    }
    for (const m of memberships) {
      const username = m.member?.username;
      const email = emailOf.get(m.idMember);
      // Someone invited by e-mail has a placeholder username; the roster knows them by e-mail.
      const identifier = (m.unconfirmed && email) || username || email || m.idMember;
      const aliases = [username, email, m.idMember].filter(
        (a): a is string => !!a && a !== identifier,
      );
      const name = m.member?.fullName;
      yield { identifier, ...stateOf(m), aliases, ...(name ? { name } : {}) };
    }
  }
}

function stateOf(
  m: TrelloMembership,
): CheckResult & { state: 'member' | 'invited' | 'deactivated' } {
  const state = m.deactivated ? 'deactivated' : m.unconfirmed ? 'invited' : 'member';
  return { state, role: m.memberType };
}

/** Trello needs a full name for an e-mail invitation; without one from the roster, the local part. */
export function displayNameFromEmail(email: string): string {
  return email.split('@')[0] || email;
}
