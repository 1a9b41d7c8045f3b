import {
  type ChangeAttempt,
  type ChangeResult,
  type CheckResult,
  ConfigError,
  ConflictError,
  type MemberRecord,
  type MembershipOptions,
  NotFoundError,
} from '@orchester/core';
import type { GitHubClient } from './client.js';
import type { GitHubConfig } from './config.js';
import { hasStatus, toConnectorError } from './errors.js';
import { isEmailIdentifier } from './identifier.js';
import { invitationRole, OrgInvitations } from './org-invitations.js';

type OrgRole = 'admin' | 'member';

interface Membership {
  readonly state: 'active' | 'pending';
  readonly role: string;
}

/** The organization's members and invitations, through GitHub's REST API. */
export class OrgMembers {
  private orgConfirmed: Promise<void> | undefined;
  private readonly invitations: OrgInvitations;

  constructor(
    private readonly github: GitHubClient,
    private readonly config: GitHubConfig,
    private readonly now: () => number,
  ) {
    this.invitations = new OrgInvitations(github, config.org, now, () => this.confirmOrg());
  }

  private get org(): string {
    return this.config.org;
  }

  /**
   * GitHub answers 404 both for a person outside the organization and for an organization that
   * does not exist. One `GET /orgs/{org}` per instance tells them apart, so a typo in `org`
   * is a config error instead of "everyone is absent".
   */
  private confirmOrg(): Promise<void> {
    this.orgConfirmed ??= (async () => {
      try {
        await this.github.request('GET /orgs/{org}', { org: this.org });
      } catch (error) {
        if (hasStatus(error, 404)) {
          throw new ConfigError(
            `org: GitHub has no organization "${this.org}"; set "org" to the organization's login (github.com/<org>)`,
          );
        }
        throw toConnectorError(error, `looking up organization ${this.org}`, this.now());
      }
    })();
    this.orgConfirmed.catch(() => {
      this.orgConfirmed = undefined;
    });
    return this.orgConfirmed;
  }

  private async membership(login: string): Promise<Membership | undefined> {
    try {
      const { data } = await this.github.request('GET /orgs/{org}/memberships/{username}', {
        org: this.org,
        username: login,
      });
      return { state: data.state as Membership['state'], role: data.role };
    } catch (error) {
      if (hasStatus(error, 404)) {
        await this.confirmOrg();
        return undefined;
      }
      throw toConnectorError(error, `checking ${login} in ${this.org}`, this.now());
    }
  }

  async check(identifier: string): Promise<CheckResult> {
    if (isEmailIdentifier(identifier)) return this.invitations.check(identifier);
    const membership = await this.membership(identifier);
    if (!membership) return { state: 'absent' };
    return membership.state === 'active'
      ? { state: 'member', role: membership.role }
      : { state: 'invited', role: membership.role, detail: 'invitation pending' };
  }

  async add(
    identifier: string,
    options: MembershipOptions,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    const asked: OrgRole | undefined =
      options.role === 'admin' ? 'admin' : options.role === 'member' ? 'member' : undefined;
    if (isEmailIdentifier(identifier))
      return this.invitations.invite(identifier, asked ?? 'member', attempt);
    const current = await this.membership(identifier);
    // No role asked for: someone already there keeps theirs (a plain add never demotes an owner).
    const role: OrgRole = asked ?? (current?.role === 'admin' ? 'admin' : 'member');
    let result: ChangeResult;
    if (current && current.role === role) {
      result = { outcome: current.state === 'active' ? 'already-member' : 'already-invited', role };
    } else if (!current) {
      // GitHub invites: the membership stays pending until the person accepts.
      const state = await attempt.change('invited', () => this.setMembership(identifier, role));
      result = { outcome: state === 'active' ? 'added' : 'invited', role };
    } else if (current.state === 'active') {
      if (current.role === 'admin') await this.keepAnOwner(identifier, 'made a plain member');
      await attempt.change('role-changed', () => this.setMembership(identifier, role));
      result = {
        outcome: 'role-changed',
        role,
        detail: `role changed from ${current.role} to ${role}`,
      };
    } else {
      // A pending invitation's role: still an invitation, so no change of membership to note.
      await this.setMembership(identifier, role);
      result = {
        outcome: 'already-invited',
        role,
        detail: `invitation role changed from ${current.role} to ${role}`,
      };
    }
    const teams = this.teamsFor(options);
    if (teams.length === 0) return result;
    await this.joinTeams(identifier, teams);
    const joined = `teams: ${teams.join(', ')}`;
    return { ...result, detail: result.detail ? `${result.detail}; ${joined}` : joined };
  }

  private teamsFor(options: MembershipOptions): readonly string[] {
    const override = options.teams;
    if (Array.isArray(override)) return override.filter((t): t is string => typeof t === 'string');
    return this.config.teams ?? [];
  }

  private async setMembership(login: string, role: OrgRole): Promise<'active' | 'pending'> {
    const what = `adding ${login} to ${this.org}`;
    try {
      const { data } = await this.github.request('PUT /orgs/{org}/memberships/{username}', {
        org: this.org,
        username: login,
        role,
      });
      return data.state as 'active' | 'pending';
    } catch (error) {
      if (hasStatus(error, 404)) {
        await this.confirmOrg();
        throw new NotFoundError(`GitHub has no user "${login}"; check the login`, { cause: error });
      }
      throw toConnectorError(error, what, this.now());
    }
  }

  private async joinTeams(login: string, teams: readonly string[]): Promise<void> {
    for (const slug of teams) {
      try {
        await this.github.request('PUT /orgs/{org}/teams/{team_slug}/memberships/{username}', {
          org: this.org,
          team_slug: slug,
          username: login,
          role: this.config.team_role ?? 'member',
        });
      } catch (error) {
        if (hasStatus(error, 404)) {
          throw new ConfigError(
            `teams: ${this.org} has no team "${slug}"; use the team's slug as in github.com/orgs/${this.org}/teams/<slug>`,
            {
              cause: error,
            },
          );
        }
        throw toConnectorError(error, `adding ${login} to team ${slug} of ${this.org}`, this.now());
      }
    }
  }

  /**
   * GitHub keeps an owner in every organization and refuses to remove or demote the last one.
   * Asked before the write (one short listing, only for an owner), so the refusal says why.
   */
  private async keepAnOwner(login: string, change: string): Promise<void> {
    let owners: readonly string[];
    try {
      const { data } = await this.github.request('GET /orgs/{org}/members', {
        org: this.org,
        role: 'admin',
        per_page: 2,
      });
      owners = data.map((user) => user.login.toLowerCase());
    } catch (error) {
      throw toConnectorError(error, `listing the owners of ${this.org}`, this.now());
    }
    if (owners.length === 1 && owners[0] === login.toLowerCase()) {
      throw new ConflictError(
        `${login} is the only owner of ${this.org} and cannot be ${change}: GitHub keeps an owner in every organization; make another member an owner first (orchest add LOGIN --role admin)`,
      );
    }
  }

  async remove(identifier: string, attempt: ChangeAttempt): Promise<ChangeResult> {
    if (isEmailIdentifier(identifier)) return this.invitations.cancel(identifier, attempt);
    const current = await this.membership(identifier);
    if (!current) return { outcome: 'not-member' };
    if (current.state === 'active' && current.role === 'admin')
      await this.keepAnOwner(identifier, 'removed');
    const outcome = current.state === 'active' ? 'removed' : 'invitation-cancelled';
    return attempt.change(outcome, () => this.deleteMembership(identifier, outcome, current), {
      changed: (result) => result.outcome !== 'not-member',
    });
  }

  /**
   * Also cancels a pending invitation, so someone offboarded before accepting cannot join later.
   * GitHub's 404: someone else removed them first, so nothing of orchester's happened.
   */
  private async deleteMembership(
    login: string,
    outcome: 'removed' | 'invitation-cancelled',
    current: Membership,
  ): Promise<ChangeResult> {
    try {
      await this.github.request('DELETE /orgs/{org}/memberships/{username}', {
        org: this.org,
        username: login,
      });
    } catch (error) {
      if (hasStatus(error, 404)) return { outcome: 'not-member' };
      throw toConnectorError(error, `removing ${login} from ${this.org}`, this.now());
    }
    return { outcome, role: current.role };
  }

  /** Members by role (two listings are cheaper than a membership call per person), then invitations. */
  async *list(): AsyncGenerator<MemberRecord> {
    for (const role of ['admin', 'member'] as const) {
      try {
        for await (const page of this.github.paginate.iterator('GET /orgs/{org}/members', {
          org: this.org,
          role,
          per_page: 100,
        })) {
          for (const user of page.data) {
            if (user) yield { identifier: user.login.toLowerCase(), state: 'member', role };
          }
        }
      } catch (error) {
        if (hasStatus(error, 404)) await this.confirmOrg();
        throw toConnectorError(error, `listing the members of ${this.org}`, this.now());
      }
    }
    for await (const invitation of this.invitations.pending()) {
      const login = invitation.login?.toLowerCase();
      const email = invitation.email?.toLowerCase();
      const identifier = login ?? email;
      if (!identifier) continue;
      yield {
        identifier,
        state: 'invited',
        role: invitationRole(invitation.role),
        ...(login && email ? { aliases: [email] } : {}),
        ...(invitation.created_at ? { since: invitation.created_at } : {}),
      };
    }
  }
}
