import { specRequestOf } from '@orchester/sandbox/spec-validator';
import { afterEach, describe, expect, it } from 'vitest';
import { publishedValidator, type Slack, specViolations, startSlack } from '../../test/harness.js';
import { SANDBOX_TEAM, SANDBOX_TOKENS } from './index.js';

let running: Slack | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function call(
  method: string,
  token: string | undefined,
  args: Record<string, unknown>,
  json = false,
) {
  const res = await fetch(`${running!.url}/api/${method}`, {
    method: 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': json
        ? 'application/json; charset=utf-8'
        : 'application/x-www-form-urlencoded',
    },
    body: json
      ? JSON.stringify(args)
      : new URLSearchParams(args as Record<string, string>).toString(),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('Slack emulator: Web API', () => {
  it('accepts form and JSON bodies and answers method errors as HTTP 200 ok:false', async () => {
    running = await startSlack('enterprise');
    const form = await call('users.lookupByEmail', SANDBOX_TOKENS.bot, {
      email: 'ADA@example.com',
    });
    expect(form).toMatchObject({ status: 200, body: { ok: true, user: { id: 'U0ADA00001' } } });
    const invite = await call(
      'admin.users.invite',
      SANDBOX_TOKENS.orgAdmin,
      { team_id: SANDBOX_TEAM.id, email: 'json@example.com', channel_ids: ['C0GENERAL1'] },
      true,
    );
    expect(invite).toMatchObject({ status: 200, body: { ok: true } });
    expect(
      await call('users.lookupByEmail', SANDBOX_TOKENS.bot, { email: 'none@example.com' }),
    ).toMatchObject({
      status: 200,
      body: { ok: false, error: 'users_not_found' },
    });
    expect(specViolations(running.requests)).toMatchObject({ checked: 3, violations: [] });
  });

  it('is checked against the spec with its corrections: the token travels in the Authorization header', async () => {
    running = await startSlack('enterprise');
    await call('users.lookupByEmail', SANDBOX_TOKENS.bot, { email: 'ada@example.com' });
    await call('admin.users.list', SANDBOX_TOKENS.orgAdmin, { is_active: false });
    expect(specViolations(running.requests)).toEqual({ checked: 2, violations: [] });
    // The published spec wants a token parameter, and the arguments in the query string.
    const [lookup, list] = running.requests.map((r) => specRequestOf(r, '/api'));
    expect(
      publishedValidator.validateRequest({ ...lookup!, method: 'get' }).map((v) => v.message),
    ).toEqual([
      'required query parameter token is missing',
      'required query parameter email is missing',
    ]);
    expect(
      publishedValidator.validateRequest({ ...list!, method: 'get' }).map((v) => v.message),
    ).toEqual([
      'required header parameter token is missing',
      'required query parameter team_id is missing',
    ]);
    // The corrections keep what Slack does require: a look-up names an e-mail.
    await call('users.lookupByEmail', SANDBOX_TOKENS.bot, {});
    expect(specViolations(running.requests.slice(2)).violations.map((v) => v.message)).toEqual([
      'required formData parameter email is missing',
    ]);
  });

  it('checks tokens: none, unknown, revoked, wrong type, missing scope, not an admin', async () => {
    running = await startSlack('enterprise');
    const invite = { team_id: SANDBOX_TEAM.id, email: 'x@example.com', channel_ids: 'C0GENERAL1' };
    expect((await call('users.list', undefined, {})).body.error).toBe('not_authed');
    expect((await call('users.list', 'xoxb-unknown-token-1', {})).body.error).toBe('invalid_auth');
    expect((await call('users.list', SANDBOX_TOKENS.revoked, {})).body.error).toBe('token_revoked');
    expect((await call('admin.users.invite', SANDBOX_TOKENS.bot, invite)).body.error).toBe(
      'not_allowed_token_type',
    );
    expect(
      (await call('users.lookupByEmail', SANDBOX_TOKENS.botNoEmail, { email: 'a@b.co' })).body,
    ).toMatchObject({
      error: 'missing_scope',
      needed: 'users:read.email',
      provided: 'users:read',
    });
    // A caller without admin rights gets each method's own error (see the next test).
    expect((await call('admin.users.invite', SANDBOX_TOKENS.orgMember, invite)).body.error).toBe(
      'failed_to_validate_caller',
    );
    // The token may also come as a form field.
    expect(
      (await call('users.list', undefined, { token: SANDBOX_TOKENS.bot, limit: 1 })).body.ok,
    ).toBe(true);
  });

  it("answers each admin method's own error to a caller without admin rights", async () => {
    running = await startSlack('enterprise');
    const team = { team_id: SANDBOX_TEAM.id };
    const member = SANDBOX_TOKENS.orgMember;
    const errorOf = async (method: string, args: Record<string, unknown>) =>
      (await call(method, member, { ...team, ...args })).body.error;
    expect(
      await errorOf('admin.users.invite', { email: 'x@example.com', channel_ids: 'C0GENERAL1' }),
    ).toBe('failed_to_validate_caller');
    expect(await errorOf('admin.users.remove', { user_id: 'U0ADA00001' })).toBe(
      'invalid_permissions',
    );
    expect(await errorOf('admin.users.assign', { user_id: 'U0GRACE001' })).toBe('not_an_admin');
    // Nothing changed.
    expect(running.state.users.find((u) => u.id === 'U0ADA00001')?.deleted).toBe(false);
    expect(running.state.users.find((u) => u.id === 'U0GRACE001')?.deleted).toBe(true);
    expect(running.state.users.some((u) => u.email === 'x@example.com')).toBe(false);
  });

  it('hides deactivated people from users.lookupByEmail; users.list and admin.users.list show them', async () => {
    running = await startSlack('enterprise');
    const bot = SANDBOX_TOKENS.bot;
    expect(await call('users.lookupByEmail', bot, { email: 'grace@example.com' })).toMatchObject({
      status: 200,
      body: { ok: false, error: 'users_not_found' },
    });
    const all = (await call('users.list', bot, {})).body.members as Array<Record<string, unknown>>;
    expect(all.find((u) => u.id === 'U0GRACE001')).toMatchObject({ deleted: true });
    const admin = SANDBOX_TOKENS.orgAdmin;
    const team = { team_id: SANDBOX_TEAM.id };
    const idsOf = (body: Record<string, unknown>) =>
      (body.users as Array<{ id: string }>).map((u) => u.id);
    const deactivated = await call('admin.users.list', admin, { ...team, is_active: false });
    expect(deactivated.body).toMatchObject({
      ok: true,
      users: [{ id: 'U0GRACE001', email: 'grace@example.com', is_admin: false }],
      response_metadata: { next_cursor: '' },
    });
    // is_active defaults to true: only active accounts.
    const active = idsOf((await call('admin.users.list', admin, team)).body);
    expect(active).toContain('U0ADA00001');
    expect(active).not.toContain('U0GRACE001');
    // Invitation by e-mail of a deactivated account: the documented user_disabled.
    expect(
      (
        await call('admin.users.invite', admin, {
          ...team,
          email: 'grace@example.com',
          channel_ids: 'C0GENERAL1',
        })
      ).body.error,
    ).toBe('user_disabled');
    expect(specViolations(running.requests).violations).toEqual([]);
  });

  it('pages admin.users.list with cursors and answers admin.users.list at Tier 4', async () => {
    running = await startSlack('large');
    for (const u of running.state.users.slice(10, 260)) u.deleted = true;
    const seen: string[] = [];
    let cursor = '';
    do {
      const { body } = await call('admin.users.list', SANDBOX_TOKENS.orgAdmin, {
        team_id: SANDBOX_TEAM.id,
        is_active: false,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...(body.users as Array<{ id: string }>).map((u) => u.id));
      cursor = (body.response_metadata as { next_cursor: string }).next_cursor;
    } while (cursor);
    const deleted = running.state.users.filter((u) => u.deleted).map((u) => u.id);
    expect(seen.sort()).toEqual(deleted.sort());
    // Its own Tier 4 window: a Tier 2 method at its limit does not hold it back.
    running.state.usage = {};
    running.state.limits.tier4 = 1;
    running.state.limits.tier2 = 0;
    const list = { team_id: SANDBOX_TEAM.id };
    expect((await call('admin.users.list', SANDBOX_TOKENS.orgAdmin, list)).status).toBe(200);
    expect((await call('admin.users.list', SANDBOX_TOKENS.orgAdmin, list)).status).toBe(429);
  });

  it('answers the channel methods’ documented errors', async () => {
    running = await startSlack('enterprise');
    const bot = SANDBOX_TOKENS.bot;
    const errorOf = async (method: string, args: Record<string, unknown>) =>
      (await call(method, bot, args)).body.error;
    // The bot is in #onboarding only.
    expect(
      await errorOf('conversations.invite', { channel: 'C0GENERAL1', users: 'U0MEMBER01' }),
    ).toBe('not_in_channel');
    expect(
      await errorOf('conversations.invite', { channel: 'C0ONBOARD1', users: 'U0BOT00001' }),
    ).toBe('cant_invite_self');
    expect(
      await errorOf('conversations.invite', { channel: 'C0ONBOARD1', users: 'U0ADA00001' }),
    ).toBe('already_in_channel');
    expect(await errorOf('conversations.invite', { channel: 'C0ONBOARD1' })).toBe('no_user');
    running.state.channels.find((c) => c.id === 'C0ONBOARD1')!.archived = true;
    expect(
      await errorOf('conversations.invite', { channel: 'C0ONBOARD1', users: 'U0MEMBER01' }),
    ).toBe('is_archived');
    running.state.channels.find((c) => c.id === 'C0ONBOARD1')!.archived = false;
    expect(await errorOf('conversations.kick', { channel: 'C0GENERAL1', user: 'U0ADA00001' })).toBe(
      'cant_kick_from_general',
    );
    expect(await errorOf('conversations.kick', { channel: 'C0ONBOARD1', user: 'U0BOT00001' })).toBe(
      'cant_kick_self',
    );
    expect(await errorOf('conversations.kick', { channel: 'C0ONBOARD1', user: 'U0MEMBER01' })).toBe(
      'not_in_channel',
    );
    expect(
      (
        await call('admin.users.assign', SANDBOX_TOKENS.orgAdmin, {
          team_id: SANDBOX_TEAM.id,
          user_id: 'U0BOT00001',
        })
      ).body.error,
    ).toBe('user_is_bot');
    expect(specViolations(running.requests).violations).toEqual([]);
  });

  it('lets the plan decide: admin.* only on Enterprise, legacy deactivation only on paid plans', async () => {
    running = await startSlack('pro');
    const invite = { team_id: SANDBOX_TEAM.id, email: 'x@example.com', channel_ids: 'C0GENERAL1' };
    expect((await call('admin.users.invite', SANDBOX_TOKENS.orgAdmin, invite)).body.error).toBe(
      'feature_not_enabled',
    );
    expect(
      (await call('users.admin.setInactive', SANDBOX_TOKENS.legacy, { user: 'U0MEMBER01' })).body
        .ok,
    ).toBe(true);
    running.state.plan = 'free';
    expect(
      (await call('users.admin.setInactive', SANDBOX_TOKENS.legacy, { user: 'U0ADA00001' })).body
        .error,
    ).toBe('paid_only');
    expect(
      (await call('users.admin.invite', SANDBOX_TOKENS.legacy, { email: 'new@example.com' })).body
        .ok,
    ).toBe(true);
    expect(
      (await call('users.admin.invite', SANDBOX_TOKENS.legacy, { email: 'new@example.com' })).body
        .error,
    ).toBe('already_invited');
  });

  it('pages users.list with cursors and refuses a bad cursor', async () => {
    running = await startSlack('large');
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const { body } = await call('users.list', SANDBOX_TOKENS.bot, {
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...(body.members as Array<{ id: string }>).map((m) => m.id));
      cursor = (body.response_metadata as { next_cursor: string }).next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(running.state.users.length / 200));
    expect(new Set(seen).size).toBe(running.state.users.length);
    expect((await call('users.list', SANDBOX_TOKENS.bot, { cursor: 'garbage' })).body.error).toBe(
      'invalid_cursor',
    );
    expect(specViolations(running.requests).violations).toEqual([]);
  });

  it('answers 429 with Retry-After per method tier', async () => {
    running = await startSlack('enterprise');
    running.state.limits.tier2 = 2;
    for (let i = 0; i < 2; i++)
      expect((await call('users.list', SANDBOX_TOKENS.bot, {})).status).toBe(200);
    const limited = await call('users.list', SANDBOX_TOKENS.bot, {});
    expect(limited).toMatchObject({ status: 429, body: { ok: false, error: 'ratelimited' } });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    // Another method (Tier 3) has its own window.
    expect(
      (await call('users.lookupByEmail', SANDBOX_TOKENS.bot, { email: 'ada@example.com' })).status,
    ).toBe(200);
  });
});

describe('Slack emulator: SCIM v2', () => {
  const scim = (path: string, init: RequestInit = {}, token: string = SANDBOX_TOKENS.scim) =>
    fetch(`${running!.url}/scim/v2/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    });

  it('filters, creates, deactivates and reactivates users', async () => {
    running = await startSlack('business+');
    const found = await (
      await scim(`Users?filter=${encodeURIComponent('email eq "ADA@example.com"')}`)
    ).json();
    expect(found).toMatchObject({
      totalResults: 1,
      Resources: [{ id: 'U0ADA00001', active: true }],
    });
    const created = await scim('Users', {
      method: 'POST',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'zed',
        emails: [{ value: 'zed@example.com' }],
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const again = await scim('Users', {
      method: 'POST',
      body: JSON.stringify({ userName: 'zed2', emails: [{ value: 'zed@example.com' }] }),
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ detail: 'email_taken', status: '409' });
    expect((await scim(`Users/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(running.state.users.find((u) => u.id === id)?.deleted).toBe(true);
    const patched = await scim(`Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Operations: [{ op: 'replace', path: 'active', value: true }] }),
    });
    expect(await patched.json()).toMatchObject({ id, active: true });
    expect((await scim('Users/U0NOBODY01')).status).toBe(404);
  });

  it('answers errors in Slack’s shapes: 401 legacy Errors, 403 below Business+, 429 with Retry-After', async () => {
    running = await startSlack('pro');
    const unauth = await scim('Users', {}, 'xoxp-not-a-token-1');
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toEqual({
      Errors: { description: 'invalid_authentication', code: 401 },
    });
    const plan = await scim('Users');
    expect(plan.status).toBe(403);
    expect(await plan.json()).toMatchObject({
      status: '403',
      detail: expect.stringContaining('Business+'),
    });
    running.state.plan = 'enterprise';
    expect((await scim('Users', {}, SANDBOX_TOKENS.bot)).status).toBe(403);
    running.state.limits.scimRead = 1;
    expect((await scim('Users')).status).toBe(200);
    const limited = await scim('Users');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('Slack emulator: OAuth and sandbox state', () => {
  it('keeps tokens and secrets out of /_sandbox/state and gives orchest sandbox a config per plan', async () => {
    running = await startSlack('business+');
    const state = JSON.stringify(await (await fetch(`${running.url}/_sandbox/state`)).json());
    for (const token of Object.values(SANDBOX_TOKENS)) expect(state).not.toContain(token);
    expect(running.configBlock()).toMatchObject({ mode: 'scim', base_url: running.url });
    running.reset('enterprise');
    expect(running.configBlock()).toMatchObject({ mode: 'admin', team_id: SANDBOX_TEAM.id });
  });

  it('refuses unknown clients and non-loopback redirect URLs on the consent screen', async () => {
    running = await startSlack('enterprise');
    const bad = await fetch(
      `${running.url}/oauth/v2/authorize?client_id=nope&redirect_uri=http://127.0.0.1:1/cb`,
      { redirect: 'manual' },
    );
    expect(bad.status).toBe(400);
    const state = running.state.app;
    const remote = await fetch(
      `${running.url}/oauth/v2/authorize?client_id=${state.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
      { redirect: 'manual' },
    );
    expect(remote.status).toBe(400);
  });
});
