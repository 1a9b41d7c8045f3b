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
import type { TeamEntry } from './team-entries.js';
import type { TeamIds } from './team-ids.js';

/** A pending invitation as GitHub lists it (the fields orchester reads). */
export interface Invitation {
  readonly id: number;
  readonly login: string | null;
  readonly email: string | null;
  readonly role: string;
  readonly created_at: string;
  /** How many teams the invitee joins on accepting. */
  readonly team_count?: number;
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
    private readonly teamIds: TeamIds,
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

  /**
   * Invites with the teams in the same request (`team_ids`). Their ids are read first (once per
   * team per instance), so a team that does not exist fails the add before anything is sent.
   */
  async invite(
    email: string,
    role: 'admin' | 'member',
    teams: readonly TeamEntry[],
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    const ids = await Promise.all(teams.map((team) => this.teamIds.idOf(team.slug)));
    const result = await attempt.change(
      'invited',
      () => this.sendInvitation(email, role, [...new Set(ids)]),
      { changed: (answer) => answer.outcome === 'invited' },
    );
    return teams.length === 0 ? result : { ...result, detail: teamsDetail(result, teams) };
  }

  /**
   * One request: GitHub answers 201 with a new invitation, 201 with the one already pending for
   * the address, or 422 for a member's address. The answer's invitation was there before when
   * this instance saw it earlier, or when it is older than the request.
   */
  private async sendInvitation(
    email: string,
    role: 'admin' | 'member',
    teamIds: readonly number[],
  ): Promise<ChangeResult> {
    const sentAt = performance.now();
    let answer: Awaited<ReturnType<typeof this.post>>;
    try {
      answer = await this.post(email, role, teamIds);
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
    const teams = invitation.team_count ?? 0;
    return before
      ? {
          outcome: 'already-invited',
          role: invitationRole(invitation.role),
          detail: `invitation pending since ${invitation.created_at}${teamIds.length > 0 ? `, carrying ${teams} ${teams === 1 ? 'team' : 'teams'}` : ''}`,
        }
      : { outcome: 'invited', role };
  }

  private post(email: string, role: 'admin' | 'member', teamIds: readonly number[]) {
    return this.github.request('POST /orgs/{org}/invitations', {
      org: this.org,
      email,
      role: role === 'admin' ? 'admin' : 'direct_member',
      ...(teamIds.length > 0 ? { team_ids: [...teamIds] } : {}),
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

/**
 * What an e-mail add did with its teams. A new invitation carries them, as a plain member of
 * each: GitHub's invitation names teams, not roles in them, so a maintainer comes from an add by
 * login after the person accepts. A pending invitation is GitHub's as it was; a member's
 * address joins nothing.
 */
function teamsDetail(result: ChangeResult, teams: readonly TeamEntry[]): string {
  const slugs = teams.map((team) => team.slug).join(', ');
  const maintained = teams.filter((team) => team.role === 'maintainer').map((team) => team.slug);
  const said =
    result.outcome === 'invited'
      ? `the invitation carries teams ${slugs} (as member)${maintained.length > 0 ? `; maintainer of ${maintained.join(', ')} only on an add by login after they accept` : ''}`
      : result.outcome === 'already-invited'
        ? `teams asked: ${slugs}; GitHub keeps the pending invitation as it was sent`
        : `teams ${slugs} not joined: add them by login`;
  return [result.detail, said].filter(Boolean).join('; ');
}
