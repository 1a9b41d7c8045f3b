// The emulator toolkit's middleware and paging, served by a real emulator and read with fetch.
import { afterEach, describe, expect, it } from 'vitest';
import { defineEmulator, type RunningEmulator } from './emulator.js';
import { guarded, rateLimit, requireAuth, retryAfterSeconds } from './middleware.js';
import { cursorPage, numberedPage } from './paging.js';
import { FixedWindowLimiter } from './rate-limit.js';

interface State {
  readonly tokens: string[];
  readonly people: string[];
  readonly limiter: FixedWindowLimiter;
}

const auth = requireAuth<State>({
  accepts: (token, state) => state.tokens.includes(token),
  refuse: (_req, reason) => ({ status: 401, body: { message: `credentials ${reason}` } }),
});
const limit = rateLimit<State>({
  limiter: (state) => state.limiter,
  keyOf: (req) => String(req.headers.authorization),
  refuse: (hit) => ({
    status: 429,
    headers: { 'retry-after': retryAfterSeconds(hit) },
    body: { message: 'slow down' },
  }),
  headers: (hit) => ({ 'x-ratelimit-remaining': hit.remaining }),
});

const people = defineEmulator<State>({
  name: 'people',
  seeds: {
    demo: () => ({
      tokens: ['good-token'],
      people: Array.from({ length: 5 }, (_, i) => `p${i + 1}`),
      limiter: new FixedWindowLimiter(3, 60_000),
    }),
  },
  routes(route) {
    route(
      'GET',
      '/people',
      guarded((req, state) => {
        const page = numberedPage(req, state.people, { defaultPerPage: 2, maxPerPage: 3 });
        return { status: 200, headers: page.headers, body: page.items };
      }, auth),
    );
    route(
      'GET',
      '/people.list',
      guarded((req, state) => {
        const page = cursorPage(req, state.people, { defaultLimit: 2, maxLimit: 10 });
        if ('invalid' in page) return { status: 200, body: { ok: false, error: 'invalid_cursor' } };
        return { status: 200, body: { ok: true, people: page.items, next_cursor: page.next } };
      }),
    );
    route(
      'GET',
      '/limited',
      guarded(() => ({ status: 200, body: { ok: true } }), auth, limit),
    );
  },
  faultResponse: () => ({ status: 503 }),
  configFor: ({ url }) => ({ base_url: url, token: 'good-token' }),
});

let running: RunningEmulator<State> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const as = (token?: string) => (token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('middleware', () => {
  it('requireAuth refuses a missing and an unknown credential in the service shape', async () => {
    running = await people.start();
    const none = await fetch(`${running.url}/people`);
    expect([none.status, await none.json()]).toEqual([401, { message: 'credentials missing' }]);
    const wrong = await fetch(`${running.url}/people`, as('stolen'));
    expect([wrong.status, await wrong.json()]).toEqual([401, { message: 'credentials unknown' }]);
    expect((await fetch(`${running.url}/people`, as('good-token'))).status).toBe(200);
  });

  it('rateLimit counts per key, adds its headers, and refuses with Retry-After once spent', async () => {
    running = await people.start();
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const ok = await fetch(`${running.url}/limited`, as('good-token'));
      expect(ok.status).toBe(200);
      remaining.push(ok.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await fetch(`${running.url}/limited`, as('good-token'));
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    // An unauthenticated request is refused before it spends anything.
    expect((await fetch(`${running.url}/limited`)).status).toBe(401);
  });
});

describe('paging', () => {
  it('numberedPage serves pages with a Link header that keeps the other parameters', async () => {
    running = await people.start();
    const first = await fetch(`${running.url}/people?filter=all`, as('good-token'));
    expect(await first.json()).toEqual(['p1', 'p2']);
    expect(first.headers.get('link')).toBe(
      `<${running.url}/people?filter=all&page=2>; rel="next", <${running.url}/people?filter=all&page=3>; rel="last"`,
    );
    const last = await fetch(`${running.url}/people?filter=all&page=3`, as('good-token'));
    expect(await last.json()).toEqual(['p5']);
    expect(last.headers.get('link')).not.toContain('rel="next"');
    const capped = await fetch(`${running.url}/people?per_page=50`, as('good-token'));
    expect(await capped.json()).toEqual(['p1', 'p2', 'p3']);
  });

  it('cursorPage chains opaque cursors to an empty one, and refuses one it never issued', async () => {
    running = await people.start();
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = (await (await fetch(`${running.url}/people.list?cursor=${cursor}`)).json()) as {
        people: string[];
        next_cursor: string;
      };
      seen.push(...page.people);
      cursor = page.next_cursor;
    } while (cursor !== '');
    expect(seen).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    const bad = await (await fetch(`${running.url}/people.list?cursor=forged`)).json();
    expect(bad).toEqual({ ok: false, error: 'invalid_cursor' });
  });
});
