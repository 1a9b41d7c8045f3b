/** What a request is recorded as when no route template matches its path: never the path. */
export const UNKNOWN_ROUTE = 'other';

const PARAM = /\{(\w+)\}/g;

/**
 * Fills a route template (`/orgs/{org}/members/{username}`) with its parameters, each
 * percent-encoded. Throws a TypeError naming a parameter that is missing.
 */
export function fillRoute(
  template: string,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return template.replace(PARAM, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`route ${template} needs "${name}"`);
    return encodeURIComponent(String(value));
  });
}

/**
 * A function that names a URL by the first template its path ends with, or `other`: what
 * `recordCall` gets, so that no route carries a login, an e-mail, an id or a token. A path
 * under a base URL (`/api/v3/orgs/acme`) still matches `/orgs/{org}`.
 */
export function routeMatcher(templates: readonly string[]): (url: URL | string) => string {
  const patterns = templates.map((template) => {
    const escaped = template
      .split(PARAM)
      .map((part, i) => (i % 2 === 1 ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return { template, pattern: new RegExp(`(?:^|/)${escaped.replace(/^\//, '')}/?$`) };
  });
  return (url) => {
    const path = typeof url === 'string' ? new URL(url, 'http://x').pathname : url.pathname;
    return patterns.find(({ pattern }) => pattern.test(path))?.template ?? UNKNOWN_ROUTE;
  };
}
