import {
  type ChangeAttempt,
  type ChangeResult,
  type CheckResult,
  PermissionError,
} from '@orchester/core';
import type { GitHubClient } from './client.js';
import { hasStatus, isInvitationCap, toConnectorError, validationText } from './errors.js';
import { FreshListing } from './fresh-listing.js';
import { createdBeforeRequest } from './invitation-age.js';
import { KnownInvitations } from './known-invitations.js';

/** A pending invitation as GitHub lists it (the fields orchester reads). */
export interface Invitation {
  readonly id: number;
  readonly login: string | null;
  readonly email: string | null;
  readonly role: string;
  readonly created_at: string;
}

/** An invitation's role in orchester's words: GitHub calls a plain member `direct_member`. */
export function invitationRole(role: string): string {
  return role === 'direct_member' ? 'member' : role;
}

const NOT_BY_EMAIL = 'no pending invitation for this e-mail (members are removed by login)';

/**
 * The organization's pending invitations, and invitations by e-mail. GitHub finds no invitation
 * by address, so sending one asks GitHub itself (it answers a repeated invitation with the
 * pending one), and finding one reads the list, once for all removals that began before it.
 */
export class OrgInvitations {
  private readonly known = new KnownInvitations();
  private readonly listing = new FreshListing<Invitation>(() => this.collect());

  constructor(
    private readonly github: GitHubClient,
    private readonly org: string,
    private readonly now: () => number,
    /** Throws the config error when a 404 came from the organization not existing. */
    private readonly confirmOrg: () => Promise<void>,
  ) {}

  /** Every pending invitation, page by page. */
  async *pending(): AsyncGenerator<Invitation> {
    try {
      for await (const page of this.github.paginate.iterator('GET /orgs/{org}/invitations', {
        org: this.org,
        per_page: 100,
      })) {
        for (const invitation of page.data as Invitation[]) {
          this.known.remember(invitation.id);
          yield invitation;
        }
      }
    } catch (error) {
      if (hasStatus(error, 404)) {
        await this.confirmOrg();
        throw new PermissionError(
          `GitHub hides the pending invitations of ${this.org} from this token: listing them needs an organization owner and the admin:org scope (or "Members: read and write")`,
          { cause: error },
        );
      }
      throw toConnectorError(error, `listing the pending invitations of ${this.org}`, this.now());
    }
  }

  private async collect(): Promise<readonly Invitation[]> {
    const all: Invitation[] = [];
    for await (const invitation of this.pending()) all.push(invitation);
    return all;
  }

  /** The pending invitation to `email`, from a listing that started after this call. */
  private async find(email: string): Promise<Invitation | undefined> {
    const all = await this.listing.read();
    return all.find((invitation) => invitation.email?.toLowerCase() === email);
  }

  async check(email: string): Promise<CheckResult> {
    const invitation = await this.find(email);
    return invitation
      ? {
          state: 'invited',
          role: invitationRole(invitation.role),
          detail: `invitation pending since ${invitation.created_at}`,
        }
      : {
          state: 'absent',
          detail: 'no pending invitation for this e-mail (GitHub lists members by login only)',
          partial: true,
        };
  }

  invite(email: string, role: 'admin' | 'member', attempt: ChangeAttempt): Promise<ChangeResult> {
    return attempt.change('invited', () => this.sendInvitation(email, role), {
      changed: (result) => result.outcome === 'invited',
    });
  }

  /**
   * One request: GitHub answers 201 with a new invitation, 201 with the one already pending for
   * the address, or 422 for a member's address. The answer's invitation was there before when
   * this instance saw it earlier, or when it is older than the request.
   */
  private async sendInvitation(email: string, role: 'admin' | 'member'): Promise<ChangeResult> {
    const sentAt = performance.now();
    let answer: Awaited<ReturnType<typeof this.post>>;
    try {
      answer = await this.post(email, role);
    } catch (error) {
      if (
        hasStatus(error, 422) &&
        !isInvitationCap(error) &&
        /already a part of/i.test(validationText(error))
      ) {
        return {
          outcome: 'already-member',
          detail: 'the e-mail belongs to a member of the organization',
        };
      }
      if (hasStatus(error, 404)) await this.confirmOrg();
      throw toConnectorError(error, `inviting an e-mail address to ${this.org}`, this.now());
    }
    const invitation = answer.data as Invitation;
    const before =
      this.known.has(invitation.id) ||
      createdBeforeRequest(
        invitation.created_at,
        answer.headers.date,
        performance.now() - sentAt,
        this.now(),
      );
    this.known.remember(invitation.id);
    return before
      ? {
          outcome: 'already-invited',
          role: invitationRole(invitation.role),
          detail: `invitation pending since ${invitation.created_at}`,
        }
      : { outcome: 'invited', role };
  }

  private post(email: string, role: 'admin' | 'member') {
    return this.github.request('POST /orgs/{org}/invitations', {
      org: this.org,
      email,
      role: role === 'admin' ? 'admin' : 'direct_member',
    });
  }

  async cancel(email: string, attempt: ChangeAttempt): Promise<ChangeResult> {
    const pending = await this.find(email);
    if (!pending) return { outcome: 'not-member', detail: NOT_BY_EMAIL };
    return attempt.change('invitation-cancelled', () => this.cancelInvitation(pending), {
      changed: (result) => result.outcome === 'invitation-cancelled',
    });
  }

  /** GitHub's 404: the invitation ended before orchester's cancel reached it. */
  private async cancelInvitation(pending: Invitation): Promise<ChangeResult> {
    try {
      await this.github.request('DELETE /orgs/{org}/invitations/{invitation_id}', {
        org: this.org,
        invitation_id: pending.id,
      });
    } catch (error) {
      if (hasStatus(error, 404)) return { outcome: 'not-member', detail: NOT_BY_EMAIL };
      throw toConnectorError(error, `cancelling an e-mail invitation to ${this.org}`, this.now());
    }
    return { outcome: 'invitation-cancelled', role: invitationRole(pending.role) };
  }
}
