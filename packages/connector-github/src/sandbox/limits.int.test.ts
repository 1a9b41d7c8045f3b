import { describe, expect, it } from 'vitest';
import { asOwner, githubPerTest } from '../test-support/harness.js';
import { addOrg, githubTime } from './index.js';
import { invitationCapOf } from './limits.js';

const emulator = githubPerTest();

const call: ReturnType<typeof asOwner> = (method, path, body) =>
  asOwner(emulator.gh)(method, path, body);

async function secondaryLimit(answer: Response): Promise<number> {
  expect(answer.status).toBe(403);
  expect(((await answer.json()) as { message: string }).message).toMatch(
    /exceeded a secondary rate limit/,
  );
  return Number(answer.headers.get('retry-after'));
}

describe('secondary rate limits', () => {
  it('writes per token: over the hourly count, 403 "secondary rate limit" with retry-after', async () => {
    emulator.gh.state.limits.writesPerHour = 3;
    for (let i = 0; i < 3; i++) {
      expect((await call('DELETE', '/orgs/acme/teams/engineering/memberships/carol')).status).toBe(
        204,
      );
    }
    const wait = await secondaryLimit(
      await call('DELETE', '/orgs/acme/teams/engineering/memberships/carol'),
    );
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3600);
    // Reads are not content: they still pass.
    expect((await call('GET', '/orgs/acme/memberships/bob')).status).toBe(200);
  });

  it('writes per token: over the count a minute, the same answer', async () => {
    emulator.gh.state.limits.writesPerMinute = 2;
    await call('DELETE', '/orgs/acme/teams/engineering/memberships/carol');
    await call('DELETE', '/orgs/acme/teams/engineering/memberships/dave');
    const wait = await secondaryLimit(
      await call('DELETE', '/orgs/acme/teams/engineering/memberships/bob'),
    );
    expect(wait).toBeLessThanOrEqual(60);
  });

  it('points per endpoint: a write costs 5, a read 1, each endpoint counted apart', async () => {
    emulator.gh.state.limits.pointsPerMinute = 12;
    for (const login of ['carol', 'dave']) {
      expect(
        (await call('PUT', `/orgs/acme/teams/engineering/memberships/${login}`, {})).status,
      ).toBe(200);
    }
    await secondaryLimit(await call('PUT', '/orgs/acme/teams/engineering/memberships/bob', {}));
    // Reading the same path is another endpoint: 12 reads pass, the 13th does not.
    for (let i = 0; i < 12; i++) {
      expect((await call('GET', '/orgs/acme/teams/engineering/memberships/carol')).status).toBe(
        200,
      );
    }
    await secondaryLimit(await call('GET', '/orgs/acme/teams/engineering/memberships/carol'));
    expect((await call('GET', '/orgs/acme/memberships/bob')).status).toBe(200);
  });
});

describe('the invitation cap', () => {
  it('is 50 a day for a free organization younger than a month, 500 when older or paid', () => {
    const young = addOrg(emulator.gh.state, 'young');
    Object.assign(young, { createdAt: githubTime(Date.now() - 10 * 86_400_000) });
    expect(invitationCapOf(emulator.gh.state, young)).toBe(50);
    young.plan = 'paid';
    expect(invitationCapOf(emulator.gh.state, young)).toBe(500);
    expect(invitationCapOf(emulator.gh.state, emulator.gh.state.orgs.acme!)).toBe(500);
    emulator.gh.state.limits.invitationCap = 2;
    expect(invitationCapOf(emulator.gh.state, emulator.gh.state.orgs.acme!)).toBe(2);
  });

  it('over it, 422 "Over invitation rate limit" that says nothing about when it frees up', async () => {
    emulator.gh.state.limits.invitationCap = 1;
    expect((await call('POST', '/orgs/acme/invitations', { email: 'a@example.com' })).status).toBe(
      201,
    );
    const capped = await call('POST', '/orgs/acme/invitations', { email: 'b@example.com' });
    expect(capped.status).toBe(422);
    expect(capped.headers.get('retry-after')).toBeNull();
    expect(await capped.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [{ field: 'data', code: 'unprocessable', message: 'Over invitation rate limit' }],
    });
    const byLogin = await call('PUT', '/orgs/acme/memberships/octocat', { role: 'member' });
    expect(byLogin.status).toBe(422);
    // A repeated invitation counts too (unconfirmed: the stricter choice).
    emulator.gh.state.limits.invitationCap = 2;
    expect((await call('POST', '/orgs/acme/invitations', { email: 'a@example.com' })).status).toBe(
      201,
    );
    expect((await call('POST', '/orgs/acme/invitations', { email: 'a@example.com' })).status).toBe(
      422,
    );
  });
});
