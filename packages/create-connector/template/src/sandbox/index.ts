import {
  bearerToken,
  defineEmulator,
  guarded,
  type Middleware,
  numberedPage,
  requireAuth,
  type SandboxRequest,
  type SandboxResponse,
} from '@orchester/sandbox';
import {
  demoState,
  emptyState,
  SANDBOX_READ_ONLY_TOKEN,
  SANDBOX_TOKEN,
  type SandboxState,
} from './state.js';

export { demoState, emptyState, SANDBOX_READ_ONLY_TOKEN, SANDBOX_TOKEN, type SandboxState };

const json = (
  status: number,
  body?: unknown,
  headers?: Record<string, string>,
): SandboxResponse => ({
  status,
  ...(body === undefined ? {} : { body }),
  ...(headers ? { headers } : {}),
});

/** 401 for a missing or unknown token, as the service answers it. */
const authenticated = requireAuth<SandboxState>({
  accepts: (token) => token === SANDBOX_TOKEN || token === SANDBOX_READ_ONLY_TOKEN,
  refuse: () => json(401, { message: '401 Unauthorized' }),
});

/** 403 for a write with the read-only token. */
const mayWrite: Middleware<SandboxState> = (req, _state, next) =>
  req.method !== 'GET' && bearerToken(req) === SANDBOX_READ_ONLY_TOKEN
    ? json(403, { message: '403 Forbidden' })
    : next();

/** The group a path names, by path or numeric id. */
const groupOf = (state: SandboxState, ref: string | undefined) =>
  state.groups.find((g) => g.path === ref || String(g.id) === ref);

/** The emulator of __DISPLAY__'s group members API, served at its root. */
export const emulator = defineEmulator<SandboxState>({
  name: '__ID__',
  seeds: { demo: demoState, empty: emptyState },
  routes(route) {
    // Every handler checks the token first, as the service does.
    const on = (
      method: string,
      path: string,
      handler: (req: SandboxRequest, s: SandboxState) => SandboxResponse,
    ) => route(method, path, guarded(handler, authenticated, mayWrite));
    const asMember = (s: SandboxState, m: { userId: number; accessLevel: number }) => ({
      id: m.userId,
      username: s.users.find((u) => u.id === m.userId)?.username,
      access_level: m.accessLevel,
    });

    on('GET', '/users', (req, s) =>
      json(
        200,
        s.users.filter((u) => u.username === req.query.get('username')),
      ),
    );
    on('GET', '/groups/:group', (req, s) => {
      const group = groupOf(s, req.params.group);
      return group
        ? json(200, { id: group.id, path: group.path })
        : json(404, { message: '404 Group Not Found' });
    });
    on('GET', '/groups/:group/members', (req, s) => {
      const group = groupOf(s, req.params.group);
      if (!group) return json(404, { message: '404 Group Not Found' });
      // Pages of `per_page` (20 by default, 100 at most) with a `Link` header, as the service pages.
      const page = numberedPage(req, group.members, { defaultPerPage: 20, maxPerPage: 100 });
      return json(
        200,
        page.items.map((m) => asMember(s, m)),
        page.headers,
      );
    });
    on('GET', '/groups/:group/members/:user_id', (req, s) => {
      const member = groupOf(s, req.params.group)?.members.find(
        (m) => String(m.userId) === req.params.user_id,
      );
      return member ? json(200, asMember(s, member)) : json(404, { message: '404 Not found' });
    });
    on('POST', '/groups/:group/members', (req, s) => {
      const group = groupOf(s, req.params.group);
      const body = req.body as { user_id?: number; access_level?: number } | undefined;
      if (!group) return json(404, { message: '404 Group Not Found' });
      if (!s.users.some((u) => u.id === body?.user_id))
        return json(404, { message: '404 User Not Found' });
      if (![10, 20, 30, 40, 50].includes(body?.access_level ?? 0))
        return json(400, { message: 'access_level does not have a valid value' });
      if (group.members.some((m) => m.userId === body?.user_id))
        return json(409, { message: 'Member already exists' });
      const member = { userId: Number(body?.user_id), accessLevel: Number(body?.access_level) };
      group.members.push(member);
      return json(201, asMember(s, member));
    });
    on('PUT', '/groups/:group/members/:user_id', (req, s) => {
      const member = groupOf(s, req.params.group)?.members.find(
        (m) => String(m.userId) === req.params.user_id,
      );
      const level = (req.body as { access_level?: number } | undefined)?.access_level ?? 0;
      if (!member) return json(404, { message: '404 Not found' });
      if (![10, 20, 30, 40, 50].includes(level))
        return json(400, { message: 'access_level does not have a valid value' });
      member.accessLevel = level;
      return json(200, asMember(s, member));
    });
    on('DELETE', '/groups/:group/members/:user_id', (req, s) => {
      const group = groupOf(s, req.params.group);
      const before = group?.members.length ?? 0;
      if (group)
        group.members = group.members.filter((m) => String(m.userId) !== req.params.user_id);
      return group && group.members.length < before
        ? json(204)
        : json(404, { message: '404 Not found' });
    });
  },
  faultResponse(kind, _req, spec) {
    if (kind === '429')
      return json(
        429,
        { message: 'Retry later' },
        { 'retry-after': String(spec.retryAfterSeconds ?? 1) },
      );
    return json(spec.errorStatus ?? 500, { message: '500 Internal Server Error' });
  },
  configFor: ({ url }) => ({ group: 'acme', token: SANDBOX_TOKEN, base_url: url }),
  snapshot: (state) =>
    state.groups.map((g) => ({
      group: g.path,
      members: g.members.map((m) => [
        state.users.find((u) => u.id === m.userId)?.username,
        m.accessLevel,
      ]),
    })),
});

export default emulator;
