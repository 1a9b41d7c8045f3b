import { describe, expect, it } from 'vitest';
import { fillRoute, routeMatcher } from './route-template.js';

describe('route templates', () => {
  const routeOf = routeMatcher(['/orgs/{org}/members', '/orgs/{org}/members/{username}']);

  it('names a URL by its template, never by its identifiers', () => {
    expect(routeOf('https://api.example.com/orgs/acme/members/octocat')).toBe(
      '/orgs/{org}/members/{username}',
    );
    expect(routeOf(new URL('https://api.example.com/orgs/acme/members?page=2'))).toBe(
      '/orgs/{org}/members',
    );
  });

  it('matches under a base path', () => {
    expect(routeOf('https://ghe.example.com/api/v3/orgs/acme/members')).toBe('/orgs/{org}/members');
  });

  it('records a path no template matches as other', () => {
    expect(routeOf('https://api.example.com/users/someone@example.com')).toBe('other');
  });

  it('fills and encodes parameters, and names a missing one', () => {
    expect(fillRoute('/users/{email}', { email: 'a b@example.com' })).toBe(
      '/users/a%20b%40example.com',
    );
    expect(() => fillRoute('/orgs/{org}', {})).toThrow('route /orgs/{org} needs "org"');
  });
});
