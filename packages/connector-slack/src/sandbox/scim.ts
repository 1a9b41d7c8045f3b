import type { SandboxRequest, SandboxResponse } from '@orchester/sandbox';
import { scimUserJson } from './slack-json.js';
import { hitWindow, newUserId, type SandboxUser, type SlackSandboxState } from './state.js';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SCIM_TYPE = { 'content-type': 'application/scim+json; charset=utf-8' };

/** SCIM v2's error body; 401 keeps Slack's older `{Errors: {description, code}}` shape. */
function scimFail(
  status: number,
  detail: string,
  headers: Record<string, string | number> = {},
): SandboxResponse {
  if (status === 401)
    return { status, headers: SCIM_TYPE, body: { Errors: { description: detail, code: status } } };
  return {
    status,
    headers: { ...SCIM_TYPE, ...headers },
    body: { schemas: [ERROR_SCHEMA], detail, status: String(status) },
  };
}

const USER_NAME = /^[a-z0-9._-]{1,21}$/;

/** People SCIM manages: not bots, not pending invitations. */
function managed(state: SlackSandboxState): SandboxUser[] {
  return state.users.filter((u) => !u.isBot && !u.invited && u.id !== 'USLACKBOT');
}

/** Supports `email eq "x"`, `emails.value eq "x"`, `emails eq "x"` and `userName eq "x"`. */
function filterOf(text: string | null): ((u: SandboxUser) => boolean) | 'invalid' | undefined {
  if (text === null || text.trim() === '') return undefined;
  const m = /^\s*(email|emails|emails\.value|userName)\s+eq\s+"([^"]*)"\s*$/i.exec(text);
  if (!m) return 'invalid';
  const value = (m[2] ?? '').toLowerCase();
  return m[1]?.toLowerCase() === 'username'
    ? (u) => u.name === value
    : (u) => u.email?.toLowerCase() === value;
}

function activeOf(body: Record<string, unknown>): boolean | undefined {
  const ops = Array.isArray(body.Operations)
    ? (body.Operations as Array<Record<string, unknown>>)
    : [];
  let active: boolean | undefined = typeof body.active === 'boolean' ? body.active : undefined;
  for (const op of ops) {
    if (String(op.op).toLowerCase() !== 'replace' && String(op.op).toLowerCase() !== 'add')
      continue;
    if (op.path === 'active' && typeof op.value === 'boolean') active = op.value;
    const value = op.value as Record<string, unknown> | undefined;
    if (op.path === undefined && typeof value?.active === 'boolean') active = value.active;
  }
  return active;
}

/** Serves `/scim/v2/Users[/{id}]` on Business+ and Enterprise. */
export function serveScim(req: SandboxRequest, state: SlackSandboxState): SandboxResponse {
  const header = String(req.headers.authorization ?? '');
  const raw = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const token = raw ? state.tokens[raw] : undefined;
  if (!token || token.revoked) return scimFail(401, 'invalid_authentication');
  if (state.plan !== 'business+' && state.plan !== 'enterprise') {
    return scimFail(
      403,
      'plan_upgrade_required: the SCIM API needs the Business+ or Enterprise Grid plan',
    );
  }
  if (!token.scopes.includes('admin') || token.type === 'bot')
    return scimFail(403, 'missing_scope: admin');
  const write = req.method !== 'GET';
  const wait = hitWindow(
    state,
    write ? 'scim:write' : 'scim:read',
    write ? state.limits.scimWrite : state.limits.scimRead,
  );
  if (wait !== undefined) return scimFail(429, 'rate_limited', { 'retry-after': wait });

  const id = req.params.id;
  const people = managed(state);
  if (id === undefined) {
    if (req.method === 'GET') {
      const filter = filterOf(req.query.get('filter'));
      if (filter === 'invalid') return scimFail(400, 'invalid_filter');
      const matched = filter ? people.filter(filter) : people;
      const startIndex = Math.max(1, Number.parseInt(req.query.get('startIndex') ?? '1', 10) || 1);
      const count = Math.min(
        1000,
        Math.max(0, Number.parseInt(req.query.get('count') ?? '100', 10) || 100),
      );
      const page = matched.slice(startIndex - 1, startIndex - 1 + count);
      return {
        status: 200,
        headers: SCIM_TYPE,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
          totalResults: matched.length,
          itemsPerPage: page.length,
          startIndex,
          Resources: page.map((u) => scimUserJson(req.origin, u)),
        },
      };
    }
    // POST: create an active account.
    const body = (req.body ?? {}) as Record<string, unknown>;
    const userName = typeof body.userName === 'string' ? body.userName : '';
    const emails = Array.isArray(body.emails) ? (body.emails as Array<{ value?: unknown }>) : [];
    const email = typeof emails[0]?.value === 'string' ? emails[0].value : '';
    if (!USER_NAME.test(userName)) return scimFail(400, 'invalid_username');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return scimFail(400, 'invalid_email');
    if (state.users.some((u) => u.email?.toLowerCase() === email.toLowerCase()))
      return scimFail(409, 'email_taken');
    if (state.users.some((u) => u.name === userName)) return scimFail(409, 'username_taken');
    const user: SandboxUser = {
      id: newUserId(state),
      name: userName,
      realName: typeof body.displayName === 'string' ? body.displayName : userName,
      email,
      deleted: false,
      invited: false,
      isBot: false,
      isAdmin: false,
      isOwner: false,
      isPrimaryOwner: false,
      updated: Math.floor(Date.now() / 1000),
    };
    state.users.push(user);
    return { status: 201, headers: SCIM_TYPE, body: scimUserJson(req.origin, user) };
  }

  const user = people.find((u) => u.id === id);
  if (!user) return scimFail(404, 'user_not_found');
  if (req.method === 'GET')
    return { status: 200, headers: SCIM_TYPE, body: scimUserJson(req.origin, user) };
  if (req.method === 'DELETE') {
    if (user.isPrimaryOwner) return scimFail(403, 'cannot_disable_primary_owner');
    user.deleted = true;
    for (const c of state.channels) c.members = c.members.filter((m) => m !== user.id);
    return { status: 204 };
  }
  // PATCH / PUT: only `active` matters here.
  const active = activeOf((req.body ?? {}) as Record<string, unknown>);
  if (active === false && user.isPrimaryOwner) return scimFail(403, 'cannot_disable_primary_owner');
  if (active !== undefined) user.deleted = !active;
  return { status: 200, headers: SCIM_TYPE, body: scimUserJson(req.origin, user) };
}
