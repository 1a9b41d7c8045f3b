import { directAttempt } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { addUser } from './sandbox/index.js';
import { connect, failure, githubPerTest } from './test-support/harness.js';

const emulator = githubPerTest();

const acme = () => emulator.gh.state.orgs.acme!;
const requests = () => emulator.gh.requests.map((r) => `${r.method} ${r.route}`);
const teamOf = (slug: string) => acme().teams.find((t) => t.slug === slug)!;
const invitationTo = (email: string) => acme().invitations.find((i) => i.email === email);

/** A second team, next to the seed's `engineering`. */
function addDesign(): number {
  const id = emulator.gh.state.nextId++;
  acme().teams.push({ id, slug: 'design', name: 'Design', members: {} });
  return id;
}

/** The invitee makes an account with the invited address, and accepts with its token. */
async function accept(login: string, email: string): Promise<number> {
  addUser(emulator.gh.state, login, { email });
  const token = `${login}_token_0123456789`;
  emulator.gh.state.tokens[token] = { kind: 'pat', login, scopes: ['read:org'] };
  const answer = await fetch(`${emulator.gh.url}/user/memberships/orgs/acme`, {
    method: 'PATCH',
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'active' }),
  });
  return answer.status;
}

describe('an e-mail invitation with teams', () => {
  it('carries the teams in the one invitation, after one lookup per team; the invitee is in them once they accept', async () => {
    const design = addDesign();
    const { instance } = await connect(emulator.gh);
    emulator.gh.clearRequests();
    const result = await instance.add(
      'pat@example.com',
      { teams: ['engineering', 'design'] },
      directAttempt(),
    );
    expect(result).toEqual({
      outcome: 'invited',
      role: 'member',
      detail: 'the invitation carries teams engineering, design (as member)',
    });
    expect(requests()).toEqual([
      'GET /orgs/:org/teams/:team_slug',
      'GET /orgs/:org/teams/:team_slug',
      'POST /orgs/:org/invitations',
    ]);
    const post = emulator.gh.requests.find((r) => r.method === 'POST')!;
    expect((post.requestBody as { team_ids: number[] }).team_ids).toEqual([
      teamOf('engineering').id,
      design,
    ]);
    // GitHub's answer counts the invitation's teams.
    expect((post.responseBody as { team_count: number }).team_count).toBe(2);
    // Pending: not in the teams' member lists yet.
    expect(teamOf('design').members).toEqual({});

    expect(await accept('pat', 'pat@example.com')).toBe(200);
    expect(teamOf('engineering').members.pat).toEqual({ role: 'member', state: 'active' });
    expect(teamOf('design').members.pat).toEqual({ role: 'member', state: 'active' });
    expect(await instance.check('pat')).toEqual({ state: 'member', role: 'member' });
  });

  it('reads each team’s id once per instance: the next invitation to the same team is one request', async () => {
    const { instance } = await connect(emulator.gh);
    await instance.add('one@example.com', { teams: ['engineering'] }, directAttempt());
    emulator.gh.clearRequests();
    await instance.add('two@example.com', { teams: ['engineering'] }, directAttempt());
    expect(requests()).toEqual(['POST /orgs/:org/invitations']);
    expect(invitationTo('two@example.com')?.teamIds).toEqual([teamOf('engineering').id]);
  });

  it('says a maintainer role asked for comes only after they accept, and invites as a team member', async () => {
    const { instance } = await connect(emulator.gh, { team_role: 'maintainer' });
    const result = await instance.add(
      'lead@example.com',
      { teams: ['engineering:maintainer'] },
      directAttempt(),
    );
    expect(result.detail).toBe(
      'the invitation carries teams engineering (as member); maintainer of engineering only on an add by login after they accept',
    );
    expect(await accept('lead', 'lead@example.com')).toBe(200);
    expect(teamOf('engineering').members.lead).toEqual({ role: 'member', state: 'active' });
    // The add by login after acceptance gives the role the invitation could not.
    expect(
      await instance.add('lead', { teams: ['engineering:maintainer'] }, directAttempt()),
    ).toMatchObject({ outcome: 'already-member' });
    expect(teamOf('engineering').members.lead).toEqual({ role: 'maintainer', state: 'active' });
  });

  it('by contrast, an add by login for someone pending gives the team role now, pending until they accept', async () => {
    const { instance } = await connect(emulator.gh);
    expect(
      await instance.add('erin', { teams: ['engineering:maintainer'] }, directAttempt()),
    ).toEqual({
      outcome: 'already-invited',
      role: 'member',
      detail: 'teams: engineering:maintainer',
    });
    expect(teamOf('engineering').members.erin).toEqual({ role: 'maintainer', state: 'pending' });
    emulator.gh.state.tokens.erin_token_0123456789 = {
      kind: 'pat',
      login: 'erin',
      scopes: ['read:org'],
    };
    const accepted = await fetch(`${emulator.gh.url}/user/memberships/orgs/acme`, {
      method: 'PATCH',
      headers: { authorization: 'token erin_token_0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'active' }),
    });
    expect(accepted.status).toBe(200);
    expect(teamOf('engineering').members.erin).toEqual({ role: 'maintainer', state: 'active' });
  });

  it('config’s teams go with an e-mail invitation when the add names none', async () => {
    const { instance } = await connect(emulator.gh, { teams: ['engineering'] });
    expect((await instance.add('cfg@example.com', {}, directAttempt())).detail).toBe(
      'the invitation carries teams engineering (as member)',
    );
    expect(invitationTo('cfg@example.com')?.teamIds).toEqual([teamOf('engineering').id]);
  });

  it('a team the organization does not have is the config error naming it, and nothing is sent', async () => {
    const { instance } = await connect(emulator.gh);
    emulator.gh.clearRequests();
    const error = await failure(
      instance.add('typo@example.com', { teams: ['enginering'] }, directAttempt()),
    );
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('acme has no team "enginering"');
    expect(requests()).not.toContain('POST /orgs/:org/invitations');
    expect(invitationTo('typo@example.com')).toBeUndefined();
  });

  it('an address already invited keeps its pending invitation, and the answer says how many teams it carries', async () => {
    const { instance } = await connect(emulator.gh);
    expect(
      await instance.add('new.hire@example.com', { teams: ['engineering'] }, directAttempt()),
    ).toMatchObject({
      outcome: 'already-invited',
      detail: expect.stringMatching(
        /^invitation pending since \S+, carrying 0 teams; teams asked: engineering; GitHub keeps the pending invitation as it was sent$/,
      ),
    });
    expect(invitationTo('new.hire@example.com')?.teamIds).toBeUndefined();
  });

  it('the address of a member joins no team by e-mail, and says so', async () => {
    const { instance } = await connect(emulator.gh);
    expect(
      await instance.add('alice@acme.test', { teams: ['engineering'] }, directAttempt()),
    ).toEqual({
      outcome: 'already-member',
      detail:
        'the e-mail belongs to a member of the organization; teams engineering not joined: add them by login',
    });
    expect(teamOf('engineering').members.alice).toBeUndefined();
  });
});
