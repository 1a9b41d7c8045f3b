/** The REST routes the connector calls, as templates for `recordCall` (never the URL itself). */
export const GITHUB_ROUTES = [
  '/user',
  '/users/{username}',
  '/orgs/{org}',
  '/orgs/{org}/members',
  '/orgs/{org}/members/{username}',
  '/orgs/{org}/memberships/{username}',
  '/orgs/{org}/invitations',
  '/orgs/{org}/invitations/{invitation_id}',
  '/orgs/{org}/teams/{team_slug}/members',
  '/orgs/{org}/teams/{team_slug}/memberships/{username}',
  '/app/installations/{installation_id}/access_tokens',
] as const;
