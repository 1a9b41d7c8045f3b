import {
  type ChangeAttempt,
  type ChangeResult,
  type CheckResult,
  ConfigError,
  ConflictError,
  type GroupMembership,
  type ListOptions,
  type MemberRecord,
  type MembershipOptions,
  NotFoundError,
  PermissionError,
} from '@orchester/core';
import type { GitHubClient } from './client.js';
import type { GitHubConfig } from './config.js';
import { hasStatus, toConnectorError } from './errors.js';
import { isEmailIdentifier } from './identifier.js';
import { confirmOrgExists } from './org-exists.js';
import { invitationRole, OrgInvitations } from './org-invitations.js';
import { teamEntries } from './team-entries.js';
import { TeamIds } from './team-ids.js';

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
    const teamIds = new TeamIds(github, config.org, now, async (slug, cause) => {
      await this.confirmOrg();
      return this.noTeam(slug, cause);
    });
    this.invitations = new OrgInvitations(
      github,
      config.org,
      now,
      () => this.confirmOrg(),
      teamIds,
    );
  }

  private get org(): string {
    return this.config.org;
  }

  /** Whether `org` exists, asked once per instance (see `confirmOrgExists`). */
  private confirmOrg(): Promise<void> {
    this.orgConfirmed ??= confirmOrgExists(this.github, this.org, this.now());
    this.orgConfirmed.catch(() => {
      this.orgConfirmed = undefined;
    });
    return this.orgConfirmed;
  }

  /**
   * Proves the credentials can manage members: GitHub lists pending invitations only to those
   * who may (an owner's token with admin:org, or an App with "Members: read and write").
   */
  async verify(): Promise<void> {
    try {
      await this.github.request('GET /orgs/{org}/invitations', { org: this.org, per_page: 1 });
    } catch (error) {
      if (!hasStatus(error, 404)) {
        throw toConnectorError(error, `listing invitations to ${this.org}`, this.now());
      }
      await this.confirmOrg();
      throw new PermissionError(
        `GitHub hides ${this.org}'s invitations from these credentials: the token needs the admin:org scope and an owner, or the App the organization permission "Members: read and write"`,
      );
    }
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
    if (isEmailIdentifier(identifier)) {
      // One request carries the teams (`team_ids`); an invitee has no teams to leave.
      const teams = teamEntries(this.teamsFor(options), this.config.team_role);
      return this.invitations.invite(identifier, asked ?? 'member', teams, attempt);
    }
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
    const leaving = stringsOf(options.leaveTeams) ?? [];
    if (teams.length === 0 && leaving.length === 0) return result;
    await this.joinTeams(identifier, teams);
    await this.leaveTeams(identifier, leaving);
    const said = [
      teams.length > 0 ? `teams: ${teams.join(', ')}` : '',
      leaving.length > 0 ? `left teams: ${leaving.join(', ')}` : '',
    ].filter(Boolean);
    return { ...result, detail: [result.detail, ...said].filter(Boolean).join('; ') };
  }

  /** The teams `add` joins: the options' (`slug` or `slug:role`), else config's. */
  private teamsFor(options: MembershipOptions): readonly string[] {
    return stringsOf(options.teams) ?? this.config.teams ?? [];
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

  /** Joins each team, or changes the role in it: GitHub's PUT does both, and is safe to repeat. */
  private async joinTeams(login: string, teams: readonly string[]): Promise<void> {
    for (const { slug, role } of teamEntries(teams, this.config.team_role)) {
      try {
        await this.github.request('PUT /orgs/{org}/teams/{team_slug}/memberships/{username}', {
          org: this.org,
          team_slug: slug,
          username: login,
          role,
        });
      } catch (error) {
        if (hasStatus(error, 404)) throw this.noTeam(slug, error);
        throw toConnectorError(error, `adding ${login} to team ${slug} of ${this.org}`, this.now());
      }
    }
  }

  /** Leaves each team; leaving one the person is not in answers 204 as well. */
  private async leaveTeams(login: string, slugs: readonly string[]): Promise<void> {
    for (const slug of slugs) {
      try {
        await this.github.request('DELETE /orgs/{org}/teams/{team_slug}/memberships/{username}', {
          org: this.org,
          team_slug: slug,
          username: login,
        });
      } catch (error) {
        if (hasStatus(error, 404)) throw this.noTeam(slug, error);
        throw toConnectorError(
          error,
          `removing ${login} from team ${slug} of ${this.org}`,
          this.now(),
        );
      }
    }
  }

  private noTeam(slug: string, cause: unknown): ConfigError {
    return new ConfigError(
      `teams: ${this.org} has no team "${slug}"; use the team's slug as in github.com/orgs/${this.org}/teams/<slug>`,
      { cause },
    );
  }

  /**
   * Who is in each team, directly, with their team role: two listings per team (maintainers,
   * then members), since GitHub gives each item its role only where a feature is enabled. Items
   * GitHub marks `inherited` (members of a child team) are not the team's own.
   */
  private async teamMemberships(slugs: readonly string[]): Promise<Map<string, GroupMembership[]>> {
    const byLogin = new Map<string, GroupMembership[]>();
    for (const slug of slugs) {
      for (const role of ['maintainer', 'member'] as const) {
        try {
          for await (const page of this.github.paginate.iterator(
            'GET /orgs/{org}/teams/{team_slug}/members',
            { org: this.org, team_slug: slug, role, per_page: 100 },
          )) {
            for (const user of page.data) {
              if (!user || (user as { inherited?: boolean }).inherited === true) continue;
              const login = user.login.toLowerCase();
              const groups = byLogin.get(login) ?? [];
              groups.push({ group: slug, role });
              byLogin.set(login, groups);
            }
          }
        } catch (error) {
          if (hasStatus(error, 404)) {
            await this.confirmOrg();
            throw this.noTeam(slug, error);
          }
          throw toConnectorError(error, `listing team ${slug} of ${this.org}`, this.now());
        }
      }
    }
    return byLogin;
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

  /**
   * Members by role (two listings are cheaper than a membership call per person), then
   * invitations. With `options.groups`, each member carries the teams of those it is in.
   */
  async *list(options: ListOptions = {}): AsyncGenerator<MemberRecord> {
    const slugs = options.groups ?? [];
    const teams = slugs.length > 0 ? await this.teamMemberships(slugs) : undefined;
    for (const role of ['admin', 'member'] as const) {
      try {
        for await (const page of this.github.paginate.iterator('GET /orgs/{org}/members', {
          org: this.org,
          role,
          per_page: 100,
        })) {
          for (const user of page.data) {
            if (!user) continue;
            const login = user.login.toLowerCase();
            yield {
              identifier: login,
              state: 'member',
              role,
              ...(teams ? { groups: teams.get(login) ?? [] } : {}),
            };
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

/** The strings of an option that should be a list of them; undefined when it is not a list. */
function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}
