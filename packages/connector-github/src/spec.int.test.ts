import { readFileSync } from 'node:fs';
import { directAttempt } from '@orchester/core/testing';
import type { RequestLogEntry, RunningEmulator } from '@orchester/sandbox';
import {
  createSpecValidator,
  loadSpec,
  type SpecViolation,
  specRequestOf,
} from '@orchester/sandbox/spec-validator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubState, SANDBOX_TOKEN } from './sandbox/index.js';
import { connect, startGitHub } from './test-support/harness.js';

// GitHub's description, with the corrections in test/fixtures/github.overlay.json (401, 403 and
// 429 on every endpoint the connector calls, each with GitHub's documentation as evidence).
const spec = loadSpec(new URL('../test/fixtures/github.openapi.json', import.meta.url));
const validator = createSpecValidator(spec);

/**
 * Statuses the emulator sends that neither the description nor GitHub's documentation lists:
 * 404 for an unknown login on PUT (unconfirmed), and the emulator's injected 5xx. Their bodies
 * are checked against the shape the description gives that status elsewhere.
 */
const SAME_SHAPE_ELSEWHERE: Record<number, { method: string; path: string; status: number }> = {
  404: { method: 'GET', path: '/orgs/acme', status: 404 },
  500: { method: 'GET', path: '/user', status: 403 },
  502: { method: 'GET', path: '/user', status: 403 },
  503: { method: 'GET', path: '/user', status: 403 },
};

/** Not in GitHub's cut description: the App token exchange and accepting an invitation. */
const OUTSIDE_THE_CUT = [
  /^\/app\/installations\/[^/]+\/access_tokens$/,
  /^\/user\/memberships\/orgs\/[^/]+$/,
];

function violations(entries: readonly RequestLogEntry[]): SpecViolation[] {
  const found: SpecViolation[] = [];
  for (const entry of entries) {
    if (entry.status === 0 || OUTSIDE_THE_CUT.some((re) => re.test(entry.path))) continue;
    const answer = {
      method: entry.method,
      path: entry.path,
      status: entry.status,
      body: entry.responseBody,
    };
    let problems = validator.validate(answer);
    const elsewhere = SAME_SHAPE_ELSEWHERE[entry.status];
    if (problems.length === 1 && /is not declared/.test(problems[0]?.message ?? '') && elsewhere) {
      problems = validator.validate({ ...elsewhere, body: entry.responseBody }).map((p) => ({
        ...p,
        method: entry.method,
        path: entry.path,
        status: entry.status,
      }));
    }
    found.push(...problems);
  }
  return found;
}

/** What the connector sent that its description does not allow (parameters, bodies). */
function requestViolations(entries: readonly RequestLogEntry[]): SpecViolation[] {
  return entries
    .filter((entry) => !OUTSIDE_THE_CUT.some((re) => re.test(entry.path)))
    .flatMap((entry) => validator.validateRequest(specRequestOf(entry)));
}

let gh: RunningEmulator<GitHubState>;
beforeEach(async () => {
  gh = await startGitHub();
});
afterEach(async () => {
  await gh.close();
});

const seen = (entries: readonly RequestLogEntry[]) =>
  new Set(entries.map((e) => `${e.method} ${e.route} ${e.status}`));

describe('the emulator answers as GitHub describes its API', () => {
  it('every answer to every kind of request the connector makes matches the description', async () => {
    gh.state.tokens.carol_token_000000000 = { kind: 'pat', login: 'carol', scopes: ['admin:org'] };
    const { instance } = await connect(gh, { teams: ['engineering'] });
    const notOwner = await connect(gh, { token: 'carol_token_000000000' });
    const wrongOrg = await connect(gh, { org: 'nope' });
    const badToken = await connect(gh, { token: 'ghp_badBadBadBadBadBadBad000000' });
    const swallow = (p: Promise<unknown>) => p.catch(() => undefined);

    for (const id of [
      'alice',
      'erin',
      'octocat',
      'no-such-user',
      'new.hire@example.com',
      'x@example.com',
    ]) {
      await instance.check(id);
    }
    await instance.add('octocat', { role: 'member' }, directAttempt());
    await instance.add('bob', { role: 'admin' }, directAttempt());
    await instance.add('carol', { role: 'member' }, directAttempt());
    // Config's teams go in the invitation as `team_ids`, read by slug first.
    await instance.add('fresh@example.com', { role: 'member' }, directAttempt());
    await swallow(instance.add('t@example.com', { teams: ['no-such-team'] }, directAttempt()));
    await instance.add('alice@acme.test', { role: 'member' }, directAttempt());
    await swallow(instance.add('no-such-user', {}, directAttempt()));
    await instance.remove('dave', {}, directAttempt());
    await instance.remove('erin', {}, directAttempt());
    await instance.remove('fresh@example.com', {}, directAttempt());
    await instance.remove('octocat', {}, directAttempt());
    for await (const _ of instance.list!()) {
      // drain
    }
    await instance.add(
      'carol',
      { teams: ['engineering:maintainer'], leaveTeams: ['engineering'] },
      directAttempt(),
    );
    for await (const _ of instance.list!({ groups: ['engineering'] })) {
      // drain
    }
    await swallow(
      (async () => {
        for await (const _ of instance.list!({ groups: ['no-such-team'] })) {
          // drain
        }
      })(),
    );
    await swallow(notOwner.instance.add('hubot', {}, directAttempt()));
    await swallow(notOwner.instance.remove('bob', {}, directAttempt()));
    await swallow(notOwner.instance.add('some@example.com', {}, directAttempt()));
    await swallow(notOwner.instance.check('some@example.com'));
    await swallow(wrongOrg.instance.check('bob'));
    await swallow(badToken.instance.check('bob'));
    gh.state.limits.invitationCap = 0;
    await swallow(instance.add('hubot', {}, directAttempt()));
    await swallow(instance.add('capped@example.com', {}, directAttempt()));
    gh.state.limits.writesPerMinute = 0;
    await swallow(instance.remove('carol', {}, directAttempt()));
    gh.state.limits.primaryPerHour = 0;
    await swallow(instance.check('carol'));
    gh.setFaults({ errorRate: 1 });
    await swallow(instance.check('carol'));
    gh.setFaults({ rateLimitRate: 1 });
    await swallow(instance.check('carol'));

    const kinds = seen(gh.requests);
    for (const expected of [
      'GET /orgs/:org/memberships/:username 200',
      'GET /orgs/:org/memberships/:username 404',
      'GET /orgs/:org 200',
      'GET /orgs/:org 404',
      'PUT /orgs/:org/memberships/:username 200',
      'PUT /orgs/:org/memberships/:username 403',
      'PUT /orgs/:org/memberships/:username 404',
      'PUT /orgs/:org/memberships/:username 422',
      'DELETE /orgs/:org/memberships/:username 204',
      'DELETE /orgs/:org/memberships/:username 403',
      'PUT /orgs/:org/teams/:team_slug/memberships/:username 200',
      'DELETE /orgs/:org/teams/:team_slug/memberships/:username 204',
      'GET /orgs/:org/teams/:team_slug 200',
      'GET /orgs/:org/teams/:team_slug 404',
      'GET /orgs/:org/teams/:team_slug/members 200',
      'GET /orgs/:org/teams/:team_slug/members 404',
      'GET /orgs/:org/invitations 200',
      'GET /orgs/:org/invitations 404',
      'POST /orgs/:org/invitations 201',
      'POST /orgs/:org/invitations 422',
      'POST /orgs/:org/invitations 403',
      'DELETE /orgs/:org/invitations/:invitation_id 204',
      'GET /orgs/:org/members 200',
      'GET /orgs/:org/memberships/:username 401',
      'GET /orgs/:org/memberships/:username 403',
      'DELETE /orgs/:org/memberships/:username 403',
    ]) {
      expect(kinds, expected).toContain(expected);
    }
    expect(gh.requests.map((r) => r.status)).toEqual(expect.arrayContaining([429, 502]));
    expect(violations(gh.requests)).toEqual([]);
    expect(requestViolations(gh.requests)).toEqual([]);
  });

  it('the endpoints the connector does not call answer as described too', async () => {
    const auth = { authorization: `token ${SANDBOX_TOKEN}`, 'content-type': 'application/json' };
    const call = (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = auth,
    ) =>
      fetch(`${gh.url}${path}`, {
        method,
        headers,
        redirect: 'manual',
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    gh.state.tokens.outsider_token_000000 = { kind: 'pat', login: 'mona', scopes: ['read:org'] };
    const outsider = { authorization: 'token outsider_token_000000' };

    await call('GET', '/user');
    await call('GET', '/users/octocat');
    await call('GET', '/users/no-such-user');
    await call('GET', '/orgs/acme/members?role=admin&per_page=1');
    await call('GET', '/orgs/acme/members?role=owner');
    await call('GET', '/orgs/acme/members/bob');
    await call('GET', '/orgs/acme/members/octocat');
    await call('GET', '/orgs/acme/members/bob', undefined, outsider);
    await call('DELETE', '/orgs/acme/members/bob', undefined, outsider);
    await call('DELETE', '/orgs/acme/members/bob');
    await call('DELETE', '/orgs/acme/memberships/no-such-user');
    await call('DELETE', '/orgs/acme/invitations/1');
    await call('POST', '/orgs/acme/invitations', { email: 'not-an-email' });
    await call('POST', '/orgs/nope/invitations', { email: 'a@example.com' });
    await call('GET', '/orgs/acme/teams/engineering/memberships/carol');
    await call('PUT', '/orgs/acme/teams/engineering/memberships/carol', { role: 'maintainer' });
    await call('GET', '/orgs/acme/teams/engineering/memberships/carol');
    await call('PUT', '/orgs/acme/teams/engineering/memberships/acme', {});
    await call('PUT', '/orgs/acme/teams/engineering/memberships/carol', {}, outsider);
    await call('DELETE', '/orgs/acme/teams/engineering/memberships/carol');
    await call('DELETE', '/orgs/acme/teams/engineering/memberships/carol', undefined, outsider);
    await call('PUT', '/orgs/acme/memberships/bob', { role: 'owner' });

    const kinds = seen(gh.requests);
    for (const expected of [
      'GET /user 200',
      'GET /users/:username 200',
      'GET /users/:username 404',
      'GET /orgs/:org/members 422',
      'GET /orgs/:org/members/:username 204',
      'GET /orgs/:org/members/:username 404',
      'GET /orgs/:org/members/:username 302',
      'DELETE /orgs/:org/members/:username 204',
      'DELETE /orgs/:org/members/:username 403',
      'DELETE /orgs/:org/memberships/:username 404',
      'DELETE /orgs/:org/invitations/:invitation_id 404',
      'POST /orgs/:org/invitations 404',
      'GET /orgs/:org/teams/:team_slug/memberships/:username 200',
      'GET /orgs/:org/teams/:team_slug/memberships/:username 404',
      'PUT /orgs/:org/teams/:team_slug/memberships/:username 422',
      'PUT /orgs/:org/teams/:team_slug/memberships/:username 403',
      'DELETE /orgs/:org/teams/:team_slug/memberships/:username 204',
      'DELETE /orgs/:org/teams/:team_slug/memberships/:username 403',
    ]) {
      expect(kinds, expected).toContain(expected);
    }
    expect(violations(gh.requests)).toEqual([]);
  });

  it('the validator catches a wrong shape (the check itself can fail)', () => {
    const wrong = validator.validate({
      method: 'GET',
      path: '/orgs/acme/memberships/bob',
      status: 200,
      body: { state: 'enabled', role: 7 },
    });
    expect(wrong.length).toBeGreaterThan(0);
    expect(
      validator.validate({
        method: 'GET',
        path: '/orgs/acme/memberships/bob',
        status: 418,
        body: {},
      })[0]?.message,
    ).toMatch(/not declared/);
    expect(
      validator.validateRequest({
        method: 'POST',
        path: '/orgs/acme/invitations',
        body: { email: 'a@example.com', role: 'owner' },
      }),
    ).not.toEqual([]);
    // Invitations name teams by id: slugs in `team_ids` are refused.
    expect(
      validator.validateRequest({
        method: 'POST',
        path: '/orgs/acme/invitations',
        body: { email: 'a@example.com', team_ids: ['engineering'] },
      }),
    ).not.toEqual([]);
  });

  it('the overlay declares what GitHub documents and its description leaves out', () => {
    const limited = {
      method: 'POST',
      path: '/orgs/acme/invitations',
      status: 429,
      body: { message: 'You have exceeded a secondary rate limit', documentation_url: 'x' },
    };
    expect(validator.validate(limited)).toEqual([]);
    const published = createSpecValidator(
      JSON.parse(
        readFileSync(new URL('../test/fixtures/github.openapi.json', import.meta.url), 'utf8'),
      ),
    );
    expect(published.validate(limited)[0]?.message).toMatch(/not declared/);
  });
});
