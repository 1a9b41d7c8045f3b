import {
  type ChangeAttempt,
  type ChangeResult,
  type CheckResult,
  type ConnectorInstance,
  ERROR_CODES,
  isOrchesterError,
  type MemberRecord,
  type MembershipOptions,
} from '@orchester/core';
import type { TrelloClient } from './client.js';
import { isEmail } from './config.js';

/** A member as Trello nests it in a membership (`member=true`). */
export interface TrelloMember {
  readonly id: string;
  readonly username: string;
  readonly fullName?: string;
  /** Shown to workspace admins; Trello does not document it for other people's members (unverified). */
  readonly email?: string;
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

export interface WorkspaceOptions {
  readonly organization: string;
  readonly removeFromBoards: boolean;
}

/**
 * One Trello workspace. Every operation reads the memberships first (one request, members
 * included) and resolves a username with `GET /1/members/{username}` only when the person is not
 * in the workspace: that endpoint has its own small limit (100 requests per 900 s).
 */
export class TrelloWorkspace implements ConnectorInstance {
  constructor(
    private readonly client: TrelloClient,
    private readonly options: WorkspaceOptions,
  ) {}

  private get org() {
    return { subject: 'organization' as const, name: this.options.organization };
  }

  /** For requests on one person's membership, where the workspace was just read and exists. */
  private membership(name: string) {
    return { subject: 'membership' as const, name };
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

  private find(
    identifier: string,
    memberships: readonly TrelloMembership[],
  ): TrelloMembership | undefined {
    return memberships.find((m) =>
      isEmail(identifier)
        ? m.member?.email?.toLowerCase() === identifier
        : m.member?.username.toLowerCase() === identifier,
    );
  }

  /** The account behind a username; NotFoundError when Trello has none. */
  private resolveUsername(username: string): Promise<TrelloMember> {
    return this.client.request<TrelloMember>({
      method: 'GET',
      route: '/1/members/{id}',
      params: { id: username },
      query: { fields: 'id,username,fullName,confirmed' },
      subject: 'member',
      name: username,
    });
  }

  async check(identifier: string): Promise<CheckResult> {
    const found = this.find(identifier, await this.memberships());
    if (found) return stateOf(found);
    // Tells "not in the workspace" from "no such Trello user"; Trello cannot look up other people by e-mail.
    if (!isEmail(identifier)) await this.resolveUsername(identifier);
    return { state: 'absent' };
  }

  async add(
    identifier: string,
    options: MembershipOptions,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    const asked = options.role === 'admin' || options.role === 'normal' ? options.role : undefined;
    const role = asked ?? 'normal';
    const found = this.find(identifier, await this.memberships());
    if (found?.deactivated) {
      await attempt.change('reactivated', () =>
        this.client.request({
          method: 'PUT',
          route: '/1/organizations/{id}/members/{idMember}/deactivated',
          params: { id: this.options.organization, idMember: found.idMember },
          query: { value: false },
          ...this.membership(identifier),
        }),
      );
      return {
        outcome: 'reactivated',
        role: found.memberType,
        detail: 'was deactivated; reactivated, not re-invited',
      };
    }
    if (found?.unconfirmed) return { outcome: 'already-invited', role: found.memberType };
    if (found) {
      // Change the type only when one was asked for: a plain add never demotes an admin.
      if (asked && found.memberType !== asked) {
        await attempt.change('role-changed', () => this.setType(found.idMember, asked, identifier));
        return { outcome: 'role-changed', role: asked, detail: `was ${found.memberType}` };
      }
      return { outcome: 'already-member', role: found.memberType };
    }
    if (isEmail(identifier)) {
      const fullName = options.fullName ?? displayNameFromEmail(identifier);
      await attempt.change('invited', () =>
        this.client.request({
          method: 'PUT',
          route: '/1/organizations/{id}/members',
          params: { id: this.options.organization },
          query: { email: identifier, fullName, type: role },
          ...this.org,
        }),
      );
      return { outcome: 'invited', role };
    }
    const account = await this.resolveUsername(identifier);
    await attempt.change('added', () => this.setType(account.id, role, identifier));
    return { outcome: 'added', role };
  }

  private setType(idMember: string, type: 'normal' | 'admin', name: string): Promise<unknown> {
    return this.client.request({
      method: 'PUT',
      route: '/1/organizations/{id}/members/{idMember}',
      params: { id: this.options.organization, idMember },
      query: { type },
      ...this.membership(name),
    });
  }

  async remove(
    identifier: string,
    options: MembershipOptions,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    const found = this.find(identifier, await this.memberships());
    if (!found) return { outcome: 'not-member' };
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
            ...this.membership(identifier),
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
    for (const m of await this.memberships()) {
      const username = m.member?.username;
      const email = m.member?.email?.toLowerCase();
      // Someone invited by e-mail has a placeholder username; the roster knows them by e-mail.
      const identifier = (m.unconfirmed && email) || username || email || m.idMember;
      const aliases = [username, email, m.idMember].filter(
        (a): a is string => !!a && a !== identifier,
      );
      yield { identifier, ...stateOf(m), aliases };
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
