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
});
