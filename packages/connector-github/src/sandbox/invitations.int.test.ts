import { describe, expect, it } from 'vitest';
import { asOwner, githubPerTest } from '../test-support/harness.js';
import { githubTime } from './index.js';

const emulator = githubPerTest();

const acme = () => emulator.gh.state.orgs.acme!;

const call: ReturnType<typeof asOwner> = (method, path, body) =>
  asOwner(emulator.gh)(method, path, body);

interface InvitationBody {
  id: number;
  email: string | null;
  created_at: string;
}

describe('organization invitations', () => {
  it('inviting an e-mail that already has a pending invitation answers 201 with that invitation and sends no second one', async () => {
    const first = await call('POST', '/orgs/acme/invitations', { email: 'pat@example.com' });
    expect(first.status).toBe(201);
    const sent = (await first.json()) as InvitationBody;
    const again = await call('POST', '/orgs/acme/invitations', {
      email: 'PAT@example.com',
      role: 'direct_member',
    });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ id: sent.id, created_at: sent.created_at });
    expect(acme().invitations.filter((i) => i.email === 'pat@example.com')).toHaveLength(1);
    // The seed's older invitation comes back with its own date.
    const seeded = acme().invitations.find((i) => i.email === 'new.hire@example.com')!;
    const old = await call('POST', '/orgs/acme/invitations', { email: 'new.hire@example.com' });
    expect(await old.json()).toMatchObject({ id: seeded.id, created_at: seeded.createdAt });
  });

  it('an invitation with team_ids answers its team_count; a repeat keeps the pending one’s teams; an unknown team id is 422', async () => {
    const engineering = acme().teams.find((t) => t.slug === 'engineering')!.id;
    const first = await call('POST', '/orgs/acme/invitations', {
      email: 'pat@example.com',
      team_ids: [engineering],
    });
    expect(await first.json()).toMatchObject({ team_count: 1 });
    const again = await call('POST', '/orgs/acme/invitations', { email: 'pat@example.com' });
    expect(await again.json()).toMatchObject({ team_count: 1 });
    const unknown = await call('POST', '/orgs/acme/invitations', {
      email: 'quinn@example.com',
      team_ids: [engineering + 12345],
    });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({
      errors: [{ field: 'team_ids', code: 'invalid' }],
    });
    expect(acme().invitations.some((i) => i.email === 'quinn@example.com')).toBe(false);
  });

  it("refuses the e-mail of a member with GitHub's 422", async () => {
    const refused = await call('POST', '/orgs/acme/invitations', { email: 'alice@acme.test' });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'OrganizationInvitation',
          code: 'unprocessable',
          field: 'data',
          message: 'A user with this email address is already a part of this organization',
        },
      ],
      documentation_url:
        'https://docs.github.com/rest/orgs/members#create-an-organization-invitation',
      status: '422',
    });
  });

  it('cancelling an invitation again answers 204; an id the organization never had is 404', async () => {
    const id = acme().invitations.find((i) => i.email === 'new.hire@example.com')!.id;
    expect((await call('DELETE', `/orgs/acme/invitations/${id}`)).status).toBe(204);
    expect(acme().invitations.some((i) => i.id === id)).toBe(false);
    expect((await call('DELETE', `/orgs/acme/invitations/${id}`)).status).toBe(204);
    expect((await call('DELETE', '/orgs/acme/invitations/424242')).status).toBe(404);
  });
});

describe('invitations expire', () => {
  it('one not accepted within seven days is no longer pending, and the address can be invited anew', async () => {
    const week = emulator.gh.state.limits.invitationExpiryMs;
    const erin = acme().invitations.find((i) => i.login === 'erin')!;
    const hire = acme().invitations.find((i) => i.email === 'new.hire@example.com')!;
    Object.assign(erin, { createdAt: githubTime(Date.now() - week - 1_000) });
    Object.assign(hire, { createdAt: githubTime(Date.now() - week - 1_000) });
    acme().teams[0]!.members.erin = { role: 'member', state: 'pending' };

    const listed = (await (await call('GET', '/orgs/acme/invitations')).json()) as unknown[];
    expect(listed).toEqual([]);
    expect((await call('GET', '/orgs/acme/memberships/erin')).status).toBe(404);
    expect(acme().teams[0]!.members.erin).toBeUndefined();
    const again = await call('POST', '/orgs/acme/invitations', { email: 'new.hire@example.com' });
    expect(again.status).toBe(201);
    expect(((await again.json()) as InvitationBody).id).not.toBe(hire.id);
  });

  it('one younger than seven days stays pending', async () => {
    const erin = acme().invitations.find((i) => i.login === 'erin')!;
    Object.assign(erin, { createdAt: githubTime(Date.now() - 6 * 86_400_000) });
    expect(await (await call('GET', '/orgs/acme/memberships/erin')).json()).toMatchObject({
      state: 'pending',
    });
  });
});
