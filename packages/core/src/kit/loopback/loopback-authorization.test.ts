// The loopback authorization helper through real sockets on 127.0.0.1 and the real fetch.
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../clock.js';
import { isOrchesterError, type OrchesterError } from '../../errors.js';
import { silentLogger } from '../../logger.js';
import { rejectionOf } from '../../testing/rejection.js';
import {
  type AuthorizationAnswer,
  type LoopbackAuthorizationOptions,
  runLoopbackAuthorization,
} from './loopback-authorization.js';

interface Urls {
  readonly startUrl: string;
  readonly authorizeUrl: string;
  readonly redirectUri: string;
}

/** Runs a flow; `browser` plays the person and the service once the server listens. */
function flow(
  browser: (urls: Urls) => Promise<void>,
  overrides: Partial<LoopbackAuthorizationOptions<string>> = {},
) {
  const exchanged: AuthorizationAnswer[] = [];
  const warnings: string[] = [];
  let visit: Promise<void> | undefined;
  const result = runLoopbackAuthorization<string>({
    service: 'Example',
    instance: 'example',
    timeoutMs: 10_000,
    signal: new AbortController().signal,
    clock: systemClock,
    logger: { ...silentLogger, warn: (_obj, msg) => warnings.push(String(msg)) },
    authorizeUrl: ({ redirectUri, state, pkce }) => {
      const url = new URL('https://auth.example.com/authorize');
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('state', state);
      url.searchParams.set('code_challenge', pkce.codeChallenge);
      return url;
    },
    announce: (urls) => {
      visit = browser(urls);
    },
    exchange: async (answer) => {
      exchanged.push(answer);
      await new Promise((r) => setTimeout(r, 100));
      return `token-for-${answer.code}`;
    },
    ...overrides,
  });
  return { result, exchanged, warnings, visited: () => visit };
}

/** Follows /start to the authorize URL and returns the callback the service would send back. */
async function consent(urls: Urls, answer: Record<string, string>): Promise<string> {
  const start = await fetch(urls.startUrl, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location') ?? '');
  const back = new URL(authorize.searchParams.get('redirect_uri') ?? '');
  back.searchParams.set('state', authorize.searchParams.get('state') ?? '');
  for (const [k, v] of Object.entries(answer)) back.searchParams.set(k, v);
  return back.toString();
}

async function rejection(promise: Promise<unknown>): Promise<OrchesterError> {
  const error = await rejectionOf(promise);
  if (!isOrchesterError(error))
    throw new Error(`expected an orchester error, got ${String(error)}`);
  return error;
}

describe('runLoopbackAuthorization', () => {
  it('sends the browser on with state and PKCE, exchanges the code once, and closes itself', async () => {
    let page = '';
    let urls: Urls | undefined;
    const run = flow(async (u) => {
      urls = u;
      const res = await fetch(await consent(u, { code: 'abc' }));
      page = `${res.status} ${await res.text()}`;
    });
    expect(await run.result).toBe('token-for-abc');
    await run.visited();
    expect(page).toMatch(/^200 .*Example is connected/);
    expect(run.exchanged).toHaveLength(1);
    const [answer] = run.exchanged;
    const authorize = new URL(urls?.authorizeUrl ?? '');
    expect(answer?.redirectUri).toBe(urls?.redirectUri);
    expect(urls?.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThanOrEqual(43);
    expect(
      createHash('sha256')
        .update(answer?.codeVerifier ?? '')
        .digest('base64url'),
    ).toBe(authorize.searchParams.get('code_challenge'));
    // Closed: nothing listens on the port any more.
    await expect(fetch(urls?.startUrl ?? '')).rejects.toThrow();
  });

  it('refuses and logs an answer with a wrong state, and goes on to finish with its own', async () => {
    let forged = '';
    const run = flow(async (u) => {
      const res = await fetch(`${u.redirectUri}?code=stolen&state=forged`);
      forged = `${res.status} ${await res.text()}`;
      await fetch(await consent(u, { code: 'mine' }));
    });
    expect(await run.result).toBe('token-for-mine');
    expect(forged).toMatch(/^400 .*goes on waiting/);
    expect(run.warnings.join('\n')).toMatch(/wrong or missing state; still waiting/);
    expect(run.exchanged.map((a) => a.code)).toEqual(['mine']);
  });

  it('exchanges exactly one code when two right answers arrive at once (409 for the other)', async () => {
    const statuses: number[] = [];
    const run = flow(async (u) => {
      const back = await consent(u, { code: 'twice' });
      const answers = await Promise.all([fetch(back), fetch(back)]);
      statuses.push(...answers.map((a) => a.status).sort());
    });
    await run.result;
    await run.visited();
    expect(statuses).toEqual([200, 409]);
    expect(run.exchanged).toHaveLength(1);
  });

  it('ends with an input error when the person declines', async () => {
    let status = 0;
    const run = flow(async (u) => {
      status = (await fetch(await consent(u, { error: 'access_denied' }))).status;
    });
    const error = await rejection(run.result);
    expect(error).toMatchObject({ code: 'ORCH_INVALID_INPUT', category: 'input' });
    expect(error.message).toContain('access_denied');
    await run.visited();
    expect(status).toBe(400);
    expect(run.exchanged).toEqual([]);
  });

  it('ends with an input error when no answer comes in time', async () => {
    const run = flow(async () => {}, { timeoutMs: 200 });
    const error = await rejection(run.result);
    expect(error.category).toBe('input');
    expect(error.message).toMatch(/^no answer from the browser within 0.2 s; nothing was saved/);
  });

  it('ends with a CancelledError when orchester is interrupted', async () => {
    const controller = new AbortController();
    const run = flow(async () => controller.abort(), { signal: controller.signal });
    expect((await rejection(run.result)).code).toBe('ORCH_CANCELLED');
  });

  it('fails the flow with the error the exchange threw', async () => {
    const run = flow(async (u) => void (await fetch(await consent(u, { code: 'x' }))), {
      exchange: async () => {
        throw new Error('the service said no');
      },
    });
    expect((await rejection(run.result)).message).toContain('the service said no');
  });

  it('names a fixed port that is in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = flow(async () => {}, { port, portHint: 'pass --port N' });
      const error = await rejection(run.result);
      expect(error).toMatchObject({ code: 'ORCH_CONFIG' });
      expect(error.message).toBe(`port ${port} on 127.0.0.1 is in use; pass --port N`);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('takes an answer in the URL fragment through the page it serves, from its own origin only', async () => {
    const replies: string[] = [];
    const run = flow(
      async (u) => {
        const back = new URL(await consent(u, {}));
        const served = await fetch(back);
        replies.push(`${served.status} ${served.headers.get('content-security-policy')}`);
        // What the page's script does: post the query and the fragment back as JSON.
        const post = (headers: Record<string, string>) =>
          fetch(back.origin + back.pathname, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ state: back.searchParams.get('state'), token: 'tok123' }),
          });
        const foreign = await post({ origin: 'https://evil.example' });
        replies.push(`${foreign.status} ${await foreign.text()}`);
        const own = await post({ origin: back.origin });
        replies.push(`${own.status}`);
      },
      { answerIn: 'fragment', codeParam: 'token' },
    );
    expect(await run.result).toBe('token-for-tok123');
    await run.visited();
    expect(replies[0]).toMatch(/^200 default-src 'none'; script-src 'sha256-/);
    expect(replies.slice(1)).toEqual(['403 refused: not from the orchester page', '200']);
  });
});
