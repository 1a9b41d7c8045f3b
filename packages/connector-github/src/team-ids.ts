import type { GitHubClient } from './client.js';
import { hasStatus, toConnectorError } from './errors.js';

/**
 * Team ids by slug, for invitations (GitHub's `team_ids` takes ids, rosters name slugs): one
 * `GET /orgs/{org}/teams/{team_slug}` per team per instance, shared by the invitations asking.
 */
export class TeamIds {
  private readonly ids = new Map<string, Promise<number>>();

  constructor(
    private readonly github: GitHubClient,
    private readonly org: string,
    private readonly now: () => number,
    /** The error for a 404: the organization's, else the config error naming the team. */
    private readonly missing: (slug: string, cause: unknown) => Promise<Error>,
  ) {}

  idOf(slug: string): Promise<number> {
    const key = slug.toLowerCase();
    let id = this.ids.get(key);
    if (!id) {
      id = this.read(slug);
      this.ids.set(key, id);
      // A failed read is not remembered: the next invitation asks again.
      id.catch(() => this.ids.delete(key));
    }
    return id;
  }

  private async read(slug: string): Promise<number> {
    try {
      const { data } = await this.github.request('GET /orgs/{org}/teams/{team_slug}', {
        org: this.org,
        team_slug: slug,
      });
      return data.id;
    } catch (error) {
      if (hasStatus(error, 404)) throw await this.missing(slug, error);
      throw toConnectorError(error, `looking up team ${slug} of ${this.org}`, this.now());
    }
  }
}
