import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { specViolations } from '../test-support/spec-check.js';
import {
  demoState,
  SANDBOX_KEY,
  SANDBOX_NORMAL_TOKEN,
  SANDBOX_TOKEN,
  type TrelloSandboxState,
  trelloEmulator,
} from './index.js';

let emulator: RunningEmulator<TrelloSandboxState> | undefined;
afterEach(async () => {
  if (emulator) expect(specViolations(emulator.requests)).toEqual([]);
  await emulator?.close();
  emulator = undefined;
});

const oauth = (token: string, key = SANDBOX_KEY) => ({
  authorization: `OAuth oauth_consumer_key="${key}", oauth_token="${token}"`,
});

describe('trello emulator', () => {
  it('counts per token and per key on fixed windows, with Trello headers and JSON 429s', async () => {
    emulator = await trelloEmulator.start({
      state: demoState({ limits: { perToken: 3, perKey: 5, windowMs: 60_000 } }),
    });
    const me = (token: string) => fetch(`${emulator!.url}/1/members/me`, { headers: oauth(token) });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await me(SANDBOX_TOKEN)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const second = await me(SANDBOX_NORMAL_TOKEN);
    expect(second.status).toBe(200);
    expect(
      Object.fromEntries([...second.headers].filter(([k]) => k.startsWith('x-rate-limit'))),
    ).toEqual({
      'x-rate-limit-api-key-interval-ms': '60000',
      'x-rate-limit-api-key-max': '5',
      'x-rate-limit-api-key-remaining': '0',
      'x-rate-limit-api-token-interval-ms': '60000',
      'x-rate-limit-api-token-max': '3',
      'x-rate-limit-api-token-remaining': '2',
    });
    const keyLimited = await me(SANDBOX_NORMAL_TOKEN);
    expect(keyLimited.status).toBe(429);
    expect(await keyLimited.json()).toEqual({
      error: 'API_KEY_LIMIT_EXCEEDED',
      message: 'Rate limit exceeded',
    });
  });

  it('blocks a key for the rest of the window after too many 429s', async () => {
    emulator = await trelloEmulator.start({
      state: demoState({
        limits: { perToken: 1, perKey: 100, windowMs: 60_000, keyBlockAfter429s: 2 },
      }),
    });
    const me = (token: string) => fetch(`${emulator!.url}/1/members/me`, { headers: oauth(token) });
    expect((await me(SANDBOX_TOKEN)).status).toBe(200);
    expect((await me(SANDBOX_TOKEN)).status).toBe(429);
    expect((await me(SANDBOX_TOKEN)).status).toBe(429);
    // The other token has its whole budget, but the key is now blocked.
    const blocked = await me(SANDBOX_NORMAL_TOKEN);
    expect([blocked.status, ((await blocked.json()) as { error: string }).error]).toEqual([
      429,
      'API_KEY_LIMIT_EXCEEDED',
    ]);
  });

  it('answers auth errors in plain text', async () => {
    emulator = await trelloEmulator.start();
    const noKey = await fetch(`${emulator.url}/1/members/me`);
    expect([noKey.status, noKey.headers.get('content-type'), await noKey.text()]).toEqual([
      401,
      'text/plain; charset=utf-8',
      'invalid key',
    ]);
    const noToken = await fetch(`${emulator.url}/1/members/me?key=${SANDBOX_KEY}`);
    expect([noToken.status, await noToken.text()]).toEqual([
      401,
      'unauthorized permission requested',
    ]);
    const badToken = await fetch(`${emulator.url}/1/members/me`, {
      headers: oauth('b'.repeat(64)),
    });
    expect([badToken.status, await badToken.text()]).toEqual([401, 'invalid token']);
    const unknown = await fetch(`${emulator.url}/1/members/nobody_here`, {
      headers: oauth(SANDBOX_TOKEN),
    });
    expect([unknown.status, await unknown.text()]).toEqual([404, 'model not found']);
  });

  it('shows the token on the authorize page when there is no return_url, and refuses an unknown key', async () => {
    emulator = await trelloEmulator.start();
    const page = await fetch(
      `${emulator.url}/1/authorize?key=${SANDBOX_KEY}&name=x&scope=read,write&expiration=1hour&response_type=token`,
    );
    const token = /<pre id="token">([0-9a-f]{64})<\/pre>/.exec(await page.text())?.[1];
    expect(token).toBeDefined();
    expect(emulator.state.tokens.at(-1)).toMatchObject({ token, scope: ['read', 'write'] });
    expect((await fetch(`${emulator.url}/1/members/me`, { headers: oauth(token!) })).status).toBe(
      200,
    );
    const badKey = await fetch(
      `${emulator.url}/1/authorize?key=nope&scope=read&response_type=token`,
    );
    expect([badKey.status, await badKey.text()]).toEqual([401, 'invalid key']);
  });

  it('gives a config block for orchest sandbox and a readable state without tokens', async () => {
    emulator = await trelloEmulator.start({ seed: 'empty' });
    expect(emulator.configBlock()).toEqual({
      organization: 'acme',
      api_key: SANDBOX_KEY,
      token: SANDBOX_TOKEN,
      base_url: emulator.url,
    });
    const state = await (await fetch(`${emulator.url}/_sandbox/state`)).text();
    expect(JSON.parse(state).organizations).toEqual([
      { name: 'acme', memberships: [{ username: 'orchester_admin', memberType: 'admin' }] },
    ]);
    expect(state).not.toContain(SANDBOX_TOKEN);
  });

  it("never shows another member's e-mail, and the owner's own only with the account scope", async () => {
    const state = demoState();
    const withAccount = `5a${'3'.repeat(30)}${'c0ffee00'.repeat(4)}`;
    state.tokens.push({
      token: withAccount,
      key: SANDBOX_KEY,
      idMember: state.tokens[0]!.idMember,
      scope: ['read', 'write', 'account'],
      expiresAt: null,
    });
    emulator = await trelloEmulator.start({ state });
    const get = async (path: string, token = SANDBOX_TOKEN) =>
      (await fetch(`${emulator!.url}${path}`, { headers: oauth(token) })).json();
    const memberships = (await get('/1/organizations/acme/memberships?member=true')) as Array<{
      member: { username: string; email: string | null };
    }>;
    expect(memberships.map((m) => [m.member.username, m.member.email])).toEqual([
      ['orchester_admin', null],
      ['ada', null],
      ['grace', null],
      ['linus', null],
      ['margaret91650112', null],
      ['ken', null],
    ]);
    expect(((await get('/1/members/grace')) as { email: unknown }).email).toBeNull();
    expect(
      ((await get('/1/organizations/acme/members')) as Array<{ email: unknown }>)[1]?.email,
    ).toBeNull();
    expect(((await get('/1/members/me')) as { email: unknown }).email).toBeNull();
    expect(((await get('/1/members/me', withAccount)) as { email: unknown }).email).toBe(
      'admin@acme.example',
    );
  });

  it('limits /1/members/{id} to a number of requests per token and window, not its nested routes', async () => {
    emulator = await trelloEmulator.start({
      state: demoState({ limits: { membersRoute: 2, membersRouteWindowMs: 60_000 } }),
    });
    const get = (path: string, token = SANDBOX_TOKEN) =>
      fetch(`${emulator!.url}${path}`, { headers: oauth(token) });
    expect((await get('/1/members/me')).status).toBe(200);
    expect((await get('/1/members/grace')).status).toBe(200);
    const refused = await get('/1/members/ada');
    expect([refused.status, await refused.json()]).toEqual([
      429,
      { error: 'MEMBER_LIMIT_EXCEEDED', message: 'Rate limit exceeded' },
    ]);
    // Another token has its own count; other routes are not limited by it.
    expect((await get('/1/members/ada', SANDBOX_NORMAL_TOKEN)).status).toBe(200);
    expect((await get('/1/organizations/acme/memberships')).status).toBe(200);
  });

  it('takes comma-separated membership filters and refuses unknown ones', async () => {
    emulator = await trelloEmulator.start();
    const get = (filter: string) =>
      fetch(`${emulator!.url}/1/organizations/acme/memberships?filter=${filter}&member=true`, {
        headers: oauth(SANDBOX_TOKEN),
      });
    const names = async (filter: string) =>
      ((await (await get(filter)).json()) as Array<{ member: { username: string } }>).map(
        (m) => m.member.username,
      );
    expect(await names('admin')).toEqual(['orchester_admin', 'ada']);
    expect(await names('deactivated,admin')).toEqual(['orchester_admin', 'ada', 'linus']);
    expect(await names('normal,admin')).toHaveLength(6);
    const bad = await get('normal,owners');
    expect([bad.status, await bad.text()]).toEqual([400, 'invalid value for filter']);
  });

  it('adds or updates a workspace member by username as by id, and answers 404 for neither', async () => {
    emulator = await trelloEmulator.start();
    const put = (idMember: string) =>
      fetch(`${emulator!.url}/1/organizations/acme/members/${idMember}?type=normal`, {
        method: 'PUT',
        headers: oauth(SANDBOX_TOKEN),
      });
    expect((await put('alan')).status).toBe(200);
    const barbara = emulator.state.accounts.find((a) => a.username === 'barbara')!;
    expect((await put(barbara.id)).status).toBe(200);
    const unknown = await put('no_such_user');
    expect([unknown.status, await unknown.text()]).toEqual([404, 'model not found']);
    const acme = emulator.state.organizations[0]!;
    expect(acme.memberships.filter((m) => m.idMember === barbara.id)).toHaveLength(1);
    expect(acme.memberships).toHaveLength(8);
  });

  it('answers an e-mail invitation with the members and memberships, and changes nothing for a known e-mail', async () => {
    emulator = await trelloEmulator.start();
    const invite = (email: string) =>
      fetch(
        `${emulator!.url}/1/organizations/acme/members?email=${encodeURIComponent(email)}&fullName=Someone&type=normal`,
        { method: 'PUT', headers: oauth(SANDBOX_TOKEN) },
      );
    const first = (await (await invite('zed@example.org')).json()) as {
      memberships: Array<{ idMember: string; unconfirmed: boolean }>;
      members: Array<{ id: string; fullName: string; email: unknown }>;
    };
    const zed = emulator.state.accounts.find((a) => a.email === 'zed@example.org')!;
    expect(first.memberships.find((m) => m.idMember === zed.id)).toMatchObject({
      unconfirmed: true,
    });
    expect(first.members.find((m) => m.id === zed.id)).toMatchObject({
      fullName: 'Someone',
      email: null,
    });
    const count = emulator.state.organizations[0]!.memberships.length;
    for (const known of ['zed@example.org', 'grace@acme.example', 'linus@acme.example']) {
      expect((await invite(known)).status).toBe(200);
    }
    expect(emulator.state.organizations[0]!.memberships.length).toBe(count);
    expect(
      emulator.state.organizations[0]!.memberships.find(
        (m) => m.idMember === emulator!.state.accounts.find((a) => a.username === 'linus')!.id,
      )?.deactivated,
    ).toBe(true);
  });
});
