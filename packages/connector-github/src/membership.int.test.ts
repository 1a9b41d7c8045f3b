import { ConflictError } from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUser, type GitHubState, githubTime } from './sandbox/index.js';
import { connect, failure, startGitHub } from './test-support/harness.js';

let gh: RunningEmulator<GitHubState>;
beforeEach(async () => {
  gh = await startGitHub();
});
afterEach(async () => {
  await gh.close();
});

const acme = () => gh.state.orgs.acme!;

describe('check', () => {
  it('answers member with the role, invited for a pending invitation, absent otherwise', async () => {
    const { instance } = await connect(gh);
    expect(await instance.check('alice')).toEqual({ state: 'member', role: 'admin' });
    expect(await instance.check('bob')).toEqual({ state: 'member', role: 'member' });
    expect(await instance.check('erin')).toMatchObject({ state: 'invited', role: 'member' });
    expect(await instance.check('octocat')).toEqual({ state: 'absent' });
    // A login nobody has is simply not a member.
    expect(await instance.check('no-such-user')).toEqual({ state: 'absent' });
  });

  it('finds an e-mail among pending invitations only', async () => {
    const { instance } = await connect(gh);
    expect(await instance.check('new.hire@example.com')).toMatchObject({
      state: 'invited',
      role: 'member',
    });
    expect(await instance.check('stranger@example.com')).toMatchObject({ state: 'absent' });
  });
});

describe('add', () => {
  it('invites a new person, then answers already-invited without a second write', async () => {
    const { instance, calls } = await connect(gh);
    expect(await instance.add('octocat', { role: 'member' }, directAttempt())).toEqual({
      outcome: 'invited',
      role: 'member',
    });
    expect(acme().invitations.map((i) => i.login)).toContain('octocat');
    const writes = () => calls.filter((c) => c.method !== 'GET').length;
    const before = writes();
    expect(await instance.add('octocat', { role: 'member' }, directAttempt())).toEqual({
      outcome: 'already-invited',
      role: 'member',
    });
    expect(writes()).toBe(before);
  });

  it('answers already-member for a member with the same role, role-changed for another role', async () => {
    const { instance } = await connect(gh);
    expect(await instance.add('bob', { role: 'member' }, directAttempt())).toEqual({
      outcome: 'already-member',
      role: 'member',
    });
    expect(await instance.add('bob', { role: 'admin' }, directAttempt())).toMatchObject({
      outcome: 'role-changed',
      role: 'admin',
    });
    expect(acme().members.bob).toBe('admin');
    expect(await instance.check('bob')).toEqual({ state: 'member', role: 'admin' });
  });

  it('keeps an owner an owner when add names no role', async () => {
    const { instance } = await connect(gh);
    expect(await instance.add('alice', {}, directAttempt())).toEqual({
      outcome: 'already-member',
      role: 'admin',
    });
    expect(acme().members.alice).toBe('admin');
    expect(await instance.add('octocat', {}, directAttempt())).toEqual({
      outcome: 'invited',
      role: 'member',
    });
  });

  it('changes the role of a pending invitation and still answers already-invited', async () => {
    const { instance } = await connect(gh);
    expect(await instance.add('erin', { role: 'admin' }, directAttempt())).toMatchObject({
      outcome: 'already-invited',
      role: 'admin',
    });
    expect(acme().invitations.find((i) => i.login === 'erin')?.role).toBe('admin');
  });

  it('adds to the configured teams, or to the teams the options name', async () => {
    const { instance } = await connect(gh, { teams: ['engineering'], team_role: 'maintainer' });
    const added = await instance.add('carol', { role: 'member' }, directAttempt());
    expect(added).toMatchObject({ outcome: 'already-member', detail: 'teams: engineering' });
    expect(acme().teams[0]?.members.carol).toEqual({ role: 'maintainer', state: 'active' });
    await instance.add('mona', { role: 'member' }, directAttempt());
    expect(acme().teams[0]?.members.mona).toEqual({ role: 'maintainer', state: 'pending' });

    acme().teams.push({ id: 9, slug: 'design', name: 'Design', members: {} });
    await instance.add('dave', { role: 'member', teams: ['design'] }, directAttempt());
    expect(acme().teams[1]?.members.dave?.state).toBe('active');
    expect(acme().teams[0]?.members.dave).toBeUndefined();
  });

  it('refuses a team the organization does not have as a config error naming teams', async () => {
    const { instance } = await connect(gh, { teams: ['nope'] });
    await expect(instance.add('carol', {}, directAttempt())).rejects.toMatchObject({
      code: 'ORCH_CONFIG',
      message: expect.stringMatching(/^teams: .*"nope"/),
    });
  });

  it('invites an e-mail address, then answers already-invited', async () => {
    const { instance } = await connect(gh);
    expect(
      await instance.add('Someone@Example.com'.toLowerCase(), { role: 'admin' }, directAttempt()),
    ).toEqual({
      outcome: 'invited',
      role: 'admin',
    });
    const sent = acme().invitations.find((i) => i.email === 'someone@example.com');
    expect(sent?.role).toBe('admin');
    expect(
      await instance.add('someone@example.com', { role: 'admin' }, directAttempt()),
    ).toMatchObject({
      outcome: 'already-invited',
    });
    expect(await instance.add('new.hire@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'already-invited',
      role: 'member',
    });
  });

  it('answers already-member for the e-mail of a member', async () => {
    const { instance } = await connect(gh);
    expect(await instance.add('alice@acme.test', {}, directAttempt())).toMatchObject({
      outcome: 'already-member',
    });
  });
});

describe('remove', () => {
  it('removes a member and answers not-member the second time', async () => {
    const { instance } = await connect(gh);
    expect(await instance.remove('carol', {}, directAttempt())).toEqual({
      outcome: 'removed',
      role: 'member',
    });
    expect(acme().members.carol).toBeUndefined();
    expect(await instance.remove('carol', {}, directAttempt())).toEqual({ outcome: 'not-member' });
    expect(await instance.remove('octocat', {}, directAttempt())).toEqual({
      outcome: 'not-member',
    });
    expect(await instance.remove('no-such-user', {}, directAttempt())).toEqual({
      outcome: 'not-member',
    });
  });

  it('cancels a pending invitation, so the person cannot accept it later', async () => {
    gh.state.tokens.erin_token_0123456789 = { kind: 'pat', login: 'erin', scopes: ['read:org'] };
    const { instance } = await connect(gh);
    expect(await instance.remove('erin', {}, directAttempt())).toEqual({
      outcome: 'invitation-cancelled',
      role: 'member',
    });
    const accept = await fetch(`${gh.url}/user/memberships/orgs/acme`, {
      method: 'PATCH',
      headers: { authorization: 'token erin_token_0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'active' }),
    });
    expect(accept.status).toBe(404);
    expect(acme().members.erin).toBeUndefined();
    expect(await instance.check('erin')).toEqual({ state: 'absent' });
  });

  it('an invitation that was not cancelled can still be accepted (the emulator models acceptance)', async () => {
    gh.state.tokens.erin_token_0123456789 = { kind: 'pat', login: 'erin', scopes: ['read:org'] };
    const accept = await fetch(`${gh.url}/user/memberships/orgs/acme`, {
      method: 'PATCH',
      headers: { authorization: 'token erin_token_0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'active' }),
    });
    expect(accept.status).toBe(200);
    const { instance } = await connect(gh);
    expect(await instance.check('erin')).toEqual({ state: 'member', role: 'member' });
  });

  it('cancels an e-mail invitation, and answers not-member for an unknown e-mail', async () => {
    const { instance } = await connect(gh);
    expect(await instance.remove('new.hire@example.com', {}, directAttempt())).toEqual({
      outcome: 'invitation-cancelled',
      role: 'member',
    });
    expect(acme().invitations.some((i) => i.email === 'new.hire@example.com')).toBe(false);
    expect(await instance.remove('new.hire@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'not-member',
    });
  });
});

describe('the only owner', () => {
  it('is neither removed nor made a plain member: a conflict naming the fix, nothing sent', async () => {
    const { instance } = await connect(gh);
    gh.clearRequests();
    for (const attempt of [
      () => instance.remove('alice', {}, directAttempt()),
      () => instance.add('alice', { role: 'member' }, directAttempt()),
    ]) {
      const error = await failure(attempt());
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toMatch(
        /alice is the only owner of acme.*make another member an owner/,
      );
    }
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(acme().members.alice).toBe('admin');
  });

  it('is removed once another member is an owner', async () => {
    acme().members.bob = 'admin';
    const { instance } = await connect(gh);
    expect(await instance.remove('alice', {}, directAttempt())).toEqual({
      outcome: 'removed',
      role: 'admin',
    });
  });
});

describe('list', () => {
  it('yields every member with its role and every pending invitation, over several pages', async () => {
    for (let i = 0; i < 230; i++) {
      const login = `user-${String(i).padStart(3, '0')}`;
      addUser(gh.state, login);
      acme().members[login] = i % 50 === 0 ? 'admin' : 'member';
    }
    const createdAt = githubTime(Date.now());
    for (let i = 0; i < 120; i++) {
      acme().invitations.push({
        id: 50_000 + i,
        login: null,
        email: `invitee${i}@example.com`,
        role: 'direct_member',
        createdAt,
        inviter: 'alice',
      });
    }
    const { instance, calls } = await connect(gh);
    const records = [];
    for await (const record of instance.list!()) records.push(record);

    const members = records.filter((r) => r.state === 'member');
    expect(members).toHaveLength(234);
    expect(new Set(members.map((m) => m.identifier)).size).toBe(234);
    expect(
      members
        .filter((m) => m.role === 'admin')
        .map((m) => m.identifier)
        .sort(),
    ).toEqual(['alice', 'user-000', 'user-050', 'user-100', 'user-150', 'user-200']);
    const invited = records.filter((r) => r.state === 'invited');
    expect(invited).toHaveLength(122);
    expect(invited).toContainEqual(
      expect.objectContaining({ identifier: 'erin', state: 'invited', role: 'member' }),
    );
    // An invitation's created_at is its `since`.
    expect(invited).toContainEqual({
      identifier: 'invitee119@example.com',
      state: 'invited',
      role: 'member',
      since: createdAt,
    });

    // 100 per page: 1 admin page, 3 member pages (228 members), 2 invitation pages.
    const pages = calls.map((c) => c.route);
    expect(pages.filter((r) => r === '/orgs/{org}/members')).toHaveLength(4);
    expect(pages.filter((r) => r === '/orgs/{org}/invitations')).toHaveLength(2);
    const urls = gh.requests.map((r) => `${r.path}?${r.query}`);
    expect(urls).toContain('/orgs/acme/members?role=member&per_page=100&page=3');
  });
});
