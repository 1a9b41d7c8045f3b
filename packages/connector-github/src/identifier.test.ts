import { routeMatcher } from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { githubConfigSchema } from './config.js';
import { githubIdentifierSchema } from './identifier.js';
import { GITHUB_ROUTES } from './routes.js';

const routeOf = routeMatcher(GITHUB_ROUTES);

const parse = (value: string) => githubIdentifierSchema.safeParse(value);

describe('GitHub identifier', () => {
  it('accepts logins of 1 to 39 letters, digits and single inner hyphens, lower-cased', () => {
    expect(parse('Octocat').data).toBe('octocat');
    expect(parse('a').data).toBe('a');
    expect(parse('mona-lisa-42').data).toBe('mona-lisa-42');
    expect(parse('x'.repeat(39)).success).toBe(true);
  });

  it('refuses logins GitHub cannot have', () => {
    for (const bad of [
      '',
      'x'.repeat(40),
      '-mona',
      'mona-',
      'mo--na',
      'mona_lisa',
      'mona.lisa',
      'mona lisa',
      'møna',
    ]) {
      expect(parse(bad).success, bad).toBe(false);
    }
    expect(parse('mona-').error?.issues[0]?.message).toMatch(/hyphen/);
  });

  it('accepts an e-mail address for an e-mail invitation, lower-cased and trimmed', () => {
    expect(parse('  New.Hire@Example.COM ').data).toBe('new.hire@example.com');
    expect(parse('not@an@email').success).toBe(false);
    expect(parse('nobody@').error?.issues[0]?.message).toMatch(/e-mail/);
  });
});

describe('GitHub config', () => {
  const messages = (value: unknown) =>
    githubConfigSchema
      .safeParse(value)
      .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it('asks for a token by name, with the fix, when none is given or it is empty', () => {
    expect(messages({ org: 'acme' })).toEqual([
      expect.stringMatching(/^token: required; .*admin:org.*"env": "GITHUB_TOKEN"/),
    ]);
    expect(messages({ org: 'acme', token: '  ' })).toEqual([
      expect.stringMatching(/^token: is empty; /),
    ]);
  });

  it('takes a token or an App, not both, and refuses unknown keys', () => {
    const app = { app_id: 12, private_key_path: 'key.pem', installation_id: '34' };
    expect(githubConfigSchema.safeParse({ org: 'acme', app }).success).toBe(true);
    expect(messages({ org: 'acme', token: 't', app })).toEqual([
      'app: give either "token" or "app", not both',
    ]);
    expect(messages({ org: 'acme', token: 't', orgs: 'x' })[0]).toMatch(/orgs/);
    expect(messages({ org: 'not an org', token: 't' })[0]).toMatch(/^org: /);
    expect(messages({ org: 'acme', token: 't', team_role: 'owner' })[0]).toMatch(/^team_role: /);
  });
});

describe('route templates for recorded calls', () => {
  it('never carries the org, the login or the query', () => {
    expect(routeOf('https://api.github.com/orgs/acme/memberships/mona?x=1')).toBe(
      '/orgs/{org}/memberships/{username}',
    );
    expect(
      routeOf('https://ghe.example.com/api/v3/orgs/acme/invitations?page=2&per_page=100'),
    ).toBe('/orgs/{org}/invitations');
    expect(routeOf('http://127.0.0.1:1/orgs/acme/teams/eng/memberships/mona')).toBe(
      '/orgs/{org}/teams/{team_slug}/memberships/{username}',
    );
    expect(routeOf('http://127.0.0.1:1/repos/acme/secret-repo')).toBe('other');
  });
});
