/** The REST routes the connector calls, as templates for `recordCall` (never the URL itself). */
const ROUTES = [
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

const MATCHERS = ROUTES.map((template) => ({
  template,
  re: new RegExp(`${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/**
 * The route template of a request URL. Matches the end of the path, so a GitHub Enterprise
 * Server prefix (`/api/v3`) does not matter; an unknown path keeps only its first segment.
 */
export function routeOf(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    path = url.split('?')[0] ?? '';
  }
  const found = MATCHERS.find((m) => m.re.test(path));
  if (found) return found.template;
  const first = path.split('/').filter(Boolean)[0];
  return first ? `/${first}/…` : '/';
}
