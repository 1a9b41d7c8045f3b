import { directAttempt } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { connect, githubPerTest } from './test-support/harness.js';

const emulator = githubPerTest();

const acme = () => emulator.gh.state.orgs.acme!;
const requests = () => emulator.gh.requests.map((r) => `${r.method} ${r.route}`);

/** A pending e-mail invitation sent `ageMs` ago, by someone else. */
function invitedEarlier(email: string, ageMs: number, role: 'admin' | 'direct_member') {
  acme().invitations.push({
    id: emulator.gh.state.nextId++,
    login: null,
    email,
    role,
    createdAt: new Date(Date.now() - ageMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    inviter: 'alice',
  });
}

describe('adding by e-mail', () => {
  it('invites a new address with one request, without listing the pending invitations', async () => {
    const { instance } = await connect(emulator.gh);
    emulator.gh.clearRequests();
    expect(await instance.add('pat@example.com', { role: 'admin' }, directAttempt())).toEqual({
      outcome: 'invited',
      role: 'admin',
    });
    expect(requests()).toEqual(['POST /orgs/:org/invitations']);
    expect(acme().invitations.filter((i) => i.email === 'pat@example.com')).toHaveLength(1);
  });

  it('answers already-invited, with the pending role, for an address invited before, from GitHub’s one answer', async () => {
    invitedEarlier('earlier@example.com', 60_000, 'admin');
    const { instance } = await connect(emulator.gh);
    emulator.gh.clearRequests();
    expect(await instance.add('earlier@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'already-invited',
      role: 'admin',
    });
    expect(requests()).toEqual(['POST /orgs/:org/invitations']);
    expect(acme().invitations.filter((i) => i.email === 'earlier@example.com')).toHaveLength(1);
  });

  it('the same address again right after is already-invited: the instance knows the invitation it got back', async () => {
    const { instance } = await connect(emulator.gh);
    expect(await instance.add('twice@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'invited',
    });
    expect(await instance.add('twice@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'already-invited',
      role: 'member',
    });
    expect(acme().invitations.filter((i) => i.email === 'twice@example.com')).toHaveLength(1);
  });

  it('an invitation seen in a listing before the request is already-invited, however young', async () => {
    invitedEarlier('young@example.com', 0, 'direct_member');
    const { instance } = await connect(emulator.gh);
    expect(await instance.check('young@example.com')).toMatchObject({ state: 'invited' });
    expect(await instance.add('young@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'already-invited',
    });
  });

  it('answers already-member for the address of a member, with one request', async () => {
    const { instance } = await connect(emulator.gh);
    emulator.gh.clearRequests();
    expect(await instance.add('alice@acme.test', {}, directAttempt())).toMatchObject({
      outcome: 'already-member',
    });
    expect(requests()).toEqual(['POST /orgs/:org/invitations']);
  });
});

describe('removing by e-mail', () => {
  it('cancels the pending invitation with one listing and one DELETE, then answers not-member', async () => {
    const { instance } = await connect(emulator.gh);
    emulator.gh.clearRequests();
    expect(await instance.remove('new.hire@example.com', {}, directAttempt())).toEqual({
      outcome: 'invitation-cancelled',
      role: 'member',
    });
    expect(requests()).toEqual([
      'GET /orgs/:org/invitations',
      'DELETE /orgs/:org/invitations/:invitation_id',
    ]);
    expect(await instance.remove('new.hire@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'not-member',
    });
  });

  it('removals that run at once share one listing started after they all began', async () => {
    for (let i = 0; i < 250; i++) invitedEarlier(`leaver${i}@example.com`, 60_000, 'direct_member');
    const { instance } = await connect(emulator.gh);
    emulator.gh.clearRequests();
    const leavers = Array.from({ length: 8 }, (_, i) => `leaver${i * 30}@example.com`);
    const results = await Promise.all(
      leavers.map((email) => instance.remove(email, {}, directAttempt())),
    );
    expect(results.every((r) => r.outcome === 'invitation-cancelled')).toBe(true);
    // The first removal lists the 3 pages alone; the seven that asked while it ran share the next.
    expect(requests().filter((r) => r === 'GET /orgs/:org/invitations')).toHaveLength(6);
    expect(requests().filter((r) => r.startsWith('DELETE'))).toHaveLength(8);
    for (const email of leavers)
      expect(acme().invitations.some((i) => i.email === email)).toBe(false);
  });

  it('an invitation someone else cancelled is not-member, and nothing is sent to cancel it', async () => {
    const { instance } = await connect(emulator.gh);
    const id = acme().invitations.find((i) => i.email === 'new.hire@example.com')!.id;
    const cancelled = await fetch(`${emulator.gh.url}/orgs/acme/invitations/${id}`, {
      method: 'DELETE',
      headers: { authorization: `token ${String(emulator.gh.configBlock().token)}` },
    });
    expect(cancelled.status).toBe(204);
    emulator.gh.clearRequests();
    expect(await instance.remove('new.hire@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'not-member',
    });
    expect(requests()).toEqual(['GET /orgs/:org/invitations']);
  });
});
