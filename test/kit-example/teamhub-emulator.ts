// Teamhub's emulator on the sandbox toolkit: bearer auth and a rate limit per route, numbered
// pages with Link headers.
import {
  defineEmulator,
  FixedWindowLimiter,
  guarded,
  numberedPage,
  rateLimit,
  requireAuth,
  retryAfterSeconds,
} from '@orchester/sandbox';

export const TEAMHUB_TOKEN = 'th_sandboxToken0000000000';

export interface TeamhubState {
  readonly members: Record<string, string>;
  readonly limiter: FixedWindowLimiter;
}

const auth = requireAuth<TeamhubState>({
  accepts: (token) => token === TEAMHUB_TOKEN,
  refuse: () => ({ status: 401, body: { message: 'Bad credentials' } }),
});
const limit = rateLimit<TeamhubState>({
  limiter: (state) => state.limiter,
  keyOf: () => 'token',
  refuse: (hit) => ({
    status: 429,
    headers: { 'retry-after': retryAfterSeconds(hit) },
    body: { message: 'Too many requests' },
  }),
});

export const teamhubEmulator = defineEmulator<TeamhubState>({
  name: 'teamhub',
  seeds: {
    demo: () => ({
      members: { ada: 'owner', bob: 'member', dan: 'member' },
      limiter: new FixedWindowLimiter(1_000, 60_000),
    }),
  },
  routes(route) {
    const on = (
      method: string,
      path: string,
      handler: Parameters<typeof guarded<TeamhubState>>[0],
    ) => route(method, path, guarded(handler, auth, limit));
    const group = (name = '') => name === 'acme';
    on('GET', '/groups/:group', (req) =>
      group(req.params.group) ? { status: 200, body: { name: 'acme' } } : { status: 404 },
    );
    on('GET', '/groups/:group/members', (req, state) => {
      if (!group(req.params.group)) return { status: 404 };
      const all = Object.entries(state.members).map(([user, role]) => ({ user, role }));
      const page = numberedPage(req, all, { defaultPerPage: 20, maxPerPage: 100 });
      return { status: 200, headers: page.headers, body: page.items };
    });
    on('GET', '/groups/:group/members/:user', (req, state) => {
      const role = state.members[req.params.user ?? ''];
      return group(req.params.group) && role
        ? { status: 200, body: { user: req.params.user, role } }
        : { status: 404, body: { message: 'Not found' } };
    });
    on('PUT', '/groups/:group/members/:user', (req, state) => {
      const role = (req.body as { role?: string } | undefined)?.role ?? 'member';
      state.members[req.params.user ?? ''] = role;
      return { status: 201, body: { user: req.params.user, role } };
    });
    on('DELETE', '/groups/:group/members/:user', (req, state) => {
      delete state.members[req.params.user ?? ''];
      return { status: 204 };
    });
  },
  faultResponse: (kind, _req, spec) =>
    kind === '429'
      ? {
          status: 429,
          headers: { 'retry-after': spec.retryAfterSeconds ?? 30 },
          body: { message: 'Too many requests' },
        }
      : { status: 503, body: { message: 'Unavailable' } },
  configFor: () => ({ group: 'acme', token: TEAMHUB_TOKEN }),
});
