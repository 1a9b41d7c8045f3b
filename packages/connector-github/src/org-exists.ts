import { ConfigError } from '@orchester/core';
import type { GitHubClient } from './client.js';
import { hasStatus, toConnectorError } from './errors.js';

/**
 * GitHub answers 404 both for a person outside the organization and for an organization that
 * does not exist: `GET /orgs/{org}` tells them apart, so a typo in `org` is a config error
 * instead of "everyone is absent".
 */
export async function confirmOrgExists(
  github: GitHubClient,
  org: string,
  now: number = Date.now(),
): Promise<void> {
  try {
    await github.request('GET /orgs/{org}', { org });
  } catch (error) {
    if (hasStatus(error, 404)) {
      throw new ConfigError(
        `org: GitHub has no organization "${org}"; set "org" to the organization's login (github.com/<org>)`,
      );
    }
    throw toConnectorError(error, `looking up organization ${org}`, now);
  }
}
