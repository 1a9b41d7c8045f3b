import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asOwner, startGitHub } from '../test-support/harness.js';
import { addUser, type GitHubState, SANDBOX_TOKEN } from './index.js';

let gh: RunningEmulator<GitHubState>;
beforeEach(async () => {
  gh = await startGitHub();
});
afterEach(async () => {
  await gh.close();
});

const get = (path: string, authorization = `token ${SANDBOX_TOKEN}`) =>
  fetch(`${gh.url}${path}`, { headers: { authorization }, redirect: 'manual' });

describe('GitHub emulator', () => {
  it('paginates with absolute Link URLs on its own origin that keep per_page and the filters', async () => {
    for (let i = 0; i < 45; i++) {
      addUser(gh.state, `member-${i}`);
      gh.state.orgs.acme!.members[`member-${i}`] = 'member';
    }
    const first = await get('/orgs/acme/members?role=member&per_page=20');
    expect(((await first.json()) as unknown[]).length).toBe(20);
    const link = first.headers.get('link') ?? '';
    expect(link).toBe(
      `<${gh.url}/orgs/acme/members?role=member&per_page=20&page=2>; rel="next", <${gh.url}/orgs/acme/members?role=member&per_page=20&page=3>; rel="last"`,
    );
    const last = await get('/orgs/acme/members?role=member&per_page=20&page=3');
    expect(((await last.json()) as unknown[]).length).toBe(48 - 40);
    expect(last.headers.get('link')).toMatch(/rel="prev".*rel="first"/);
    expect(last.headers.get('link')).not.toMatch(/rel="next"/);
    // Default page size 30, at most 100, no Link when one page holds all.
    expect(((await (await get('/orgs/acme/members')).json()) as unknown[]).length).toBe(30);
    const all = await get('/orgs/acme/members?per_page=500');
    expect(((await all.json()) as unknown[]).length).toBe(49);
    expect(all.headers.get('link')).toBeNull();
  });

  it('puts x-ratelimit headers on every answer, errors and faults included', async () => {
    const answers = [
      await get('/user'),
      await get('/users/nobody-here'),
      await get('/nowhere'),
      await get('/user', 'token nope-nope'),
    ];
    gh.setFaults({ errorRate: 1 });
    answers.push(await get('/user'));
    for (const answer of answers) {
      expect(answer.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(answer.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(answer.headers.get('x-ratelimit-reset')).toMatch(/^\d{10}$/);
      expect(answer.headers.get('x-ratelimit-resource')).toBe('core');
    }
    expect(answers.map((a) => a.status)).toEqual([200, 404, 404, 401, 502]);
  });

  it('counts the primary limit per token and answers 403 with remaining 0 when it is used up', async () => {
    gh.state.limits.primaryPerHour = 3;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/user')).status);
    expect(statuses).toEqual([200, 200, 200, 403]);
    const over = await get('/user');
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(((await over.json()) as { message: string }).message).toMatch(
      /^API rate limit exceeded/,
    );
  });

  it('accepts "token" and "bearer" in any case, and refuses an unknown token with Bad credentials', async () => {
    expect((await get('/user', `TOKEN ${SANDBOX_TOKEN}`)).status).toBe(200);
    expect((await get('/user', `Bearer ${SANDBOX_TOKEN}`)).status).toBe(200);
    const refused = await get('/user', 'token ghp_unknown');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ message: 'Bad credentials' });
    expect((await get('/user', 'Basic abc')).status).toBe(401);
    const anonymous = await fetch(`${gh.url}/orgs/acme/memberships/bob`);
    expect(anonymous.status).toBe(401);
  });

  it('answers the member check with 204, 404, or 302 for a requester outside the org', async () => {
    gh.state.tokens.outsider_token_000000 = { kind: 'pat', login: 'mona', scopes: ['read:org'] };
    expect((await get('/orgs/acme/members/bob')).status).toBe(204);
    expect((await get('/orgs/acme/members/octocat')).status).toBe(404);
    const outside = await get('/orgs/acme/members/bob', 'token outsider_token_000000');
    expect(outside.status).toBe(302);
    expect(outside.headers.get('location')).toBe(`${gh.url}/orgs/acme/public_members/bob`);
  });

  it('tells existing users from unknown ones', async () => {
    const octocat = await get('/users/OctoCat');
    expect(octocat.status).toBe(200);
    expect(await octocat.json()).toMatchObject({
      login: 'octocat',
      type: 'User',
      name: 'The Octocat',
    });
    expect((await get('/users/no-such-user')).status).toBe(404);
  });

  it('shows a user’s e-mail only when they made it public, and only to an authenticated caller', async () => {
    expect(await (await get('/users/octocat')).json()).toMatchObject({
      email: 'octocat@github.test',
    });
    // alice's address is on her account, where invitations find it, but not public.
    expect(await (await get('/users/alice')).json()).toMatchObject({ email: null });
    expect(await (await get('/user')).json()).toMatchObject({ login: 'alice', email: null });
    const anonymous = await fetch(`${gh.url}/users/octocat`);
    expect(await anonymous.json()).toMatchObject({ login: 'octocat', email: null });
  });

  it('reports its state on /_sandbox/state without tokens', async () => {
    const state = (await (await fetch(`${gh.url}/_sandbox/state`)).json()) as {
      orgs: { acme: { members: Record<string, string>; invitations: unknown[] } };
    };
    expect(state.orgs.acme.members).toMatchObject({ alice: 'admin', bob: 'member' });
    expect(state.orgs.acme.invitations).toHaveLength(2);
    expect(JSON.stringify(state)).not.toContain(SANDBOX_TOKEN);
    expect(gh.configBlock()).toEqual({ org: 'acme', token: SANDBOX_TOKEN });
  });
});

describe('the last owner', () => {
  const send: ReturnType<typeof asOwner> = (method, path, body) => asOwner(gh)(method, path, body);

  it('cannot be removed or made a plain member while the organization has no other owner', async () => {
    for (const [method, path, body] of [
      ['DELETE', '/orgs/acme/memberships/alice'],
      ['DELETE', '/orgs/acme/members/alice'],
      ['PUT', '/orgs/acme/memberships/alice', { role: 'member' }],
    ] as const) {
      const refused = await send(method, path, body);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(((await refused.json()) as { message: string }).message).toMatch(/last owner/);
    }
    expect(gh.state.orgs.acme!.members.alice).toBe('admin');
    gh.state.orgs.acme!.members.bob = 'admin';
    expect((await send('DELETE', '/orgs/acme/memberships/alice')).status).toBe(204);
    expect(gh.state.orgs.acme!.members.alice).toBeUndefined();
  });
});
