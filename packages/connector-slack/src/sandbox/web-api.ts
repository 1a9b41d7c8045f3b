import type { SandboxRequest, SandboxResponse } from '@orchester/sandbox';
import { exchangeCode } from './oauth.js';
import { adminUserJson, channelJson, userJson } from './slack-json.js';
import {
  findByEmail,
  hitWindow,
  newUserId,
  type SandboxToken,
  type SlackSandboxState,
  type TokenType,
} from './state.js';

type Args = Record<string, string>;

interface Caller {
  readonly token: SandboxToken;
  readonly args: Args;
}

interface MethodSpec {
  readonly tier: 1 | 2 | 3 | 4;
  /** Any one of these scopes suffices. */
  readonly scopes: readonly string[];
  readonly tokenTypes?: readonly TokenType[];
  /** Plans on which the method answers at all, and the error elsewhere. */
  readonly plans?: {
    readonly allowed: readonly SlackSandboxState['plan'][];
    readonly error: string;
  };
  /**
   * The caller must be a workspace admin or owner; otherwise the method answers this error, which
   * differs per method in Slack's error tables.
   */
  readonly adminError?: string;
  run(state: SlackSandboxState, caller: Caller): SandboxResponse;
}

export const ok = (body: Record<string, unknown> = {}): SandboxResponse => ({
  status: 200,
  body: { ok: true, ...body },
});
export const fail = (error: string, extra: Record<string, unknown> = {}): SandboxResponse => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

const ENTERPRISE = { allowed: ['enterprise'], error: 'feature_not_enabled' } as const;
const PAID = { allowed: ['pro', 'business+', 'enterprise'], error: 'paid_only' } as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function cursorOf(offset: number): string {
  return Buffer.from(`users:${offset}`).toString('base64url');
}

function offsetOf(cursor: string): number | undefined {
  const m = /^users:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** One page of `items` from `args.cursor`, `limit` long (all of them when `limit` is 0). */
function pageOf<T>(
  items: readonly T[],
  args: Args,
  defaultLimit: number,
): { page: T[]; next_cursor: string } | undefined {
  const limit = Math.min(Number.parseInt(args.limit ?? '', 10) || defaultLimit, 1000);
  const start = args.cursor ? offsetOf(args.cursor) : 0;
  if (start === undefined) return undefined;
  const end = limit > 0 ? start + limit : items.length;
  return {
    page: items.slice(start, end),
    next_cursor: end < items.length ? cursorOf(end) : '',
  };
}

/** A boolean argument as the form or JSON body carries it. */
function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return value === 'true' || value === '1';
}

function joinChannels(
  state: SlackSandboxState,
  userId: string,
  channelIds: readonly string[],
): void {
  for (const id of channelIds) {
    const channel = state.channels.find((c) => c.id === id);
    if (channel && !channel.members.includes(userId)) channel.members.push(userId);
  }
}

const METHODS: Record<string, MethodSpec> = {
  'users.lookupByEmail': {
    tier: 3,
    scopes: ['users:read.email'],
    run(state, { args }) {
      // "If the user has been deactivated, users_not_found will be returned" (the method's docs).
      const user = findByEmail(state, args.email ?? '');
      return user && !user.deleted ? ok({ user: userJson(state, user) }) : fail('users_not_found');
    },
  },
  'users.info': {
    tier: 4,
    scopes: ['users:read'],
    run(state, { args }) {
      const user = state.users.find((u) => u.id === args.user);
      return user ? ok({ user: userJson(state, user) }) : fail('user_not_found');
    },
  },
  'users.list': {
    tier: 2,
    scopes: ['users:read'],
    run(state, { args }) {
      // Every account: invited and deactivated ones included (the method's docs).
      const paged = pageOf(state.users, args, 0);
      if (!paged) return fail('invalid_cursor');
      return ok({
        members: paged.page.map((u) => userJson(state, u)),
        cache_ts: Math.floor(Date.now() / 1000),
        response_metadata: { next_cursor: paged.next_cursor },
      });
    },
  },
  'admin.users.list': {
    tier: 4,
    scopes: ['admin.users:read'],
    tokenTypes: ['org'],
    plans: ENTERPRISE,
    // Its error table names no error for a caller without admin rights: the scope decides.
    run(state, { args }) {
      if (args.team_id !== undefined && args.team_id !== state.team.id)
        return fail('team_not_found');
      // is_active: "If false, only deactivated users will be returned. Default is true."
      const active = flag(args.is_active, true);
      const paged = pageOf(
        state.users.filter((u) => u.deleted !== active),
        args,
        100,
      );
      if (!paged) return fail('invalid_cursor');
      return ok({
        users: paged.page.map((u) => adminUserJson(u)),
        response_metadata: { next_cursor: paged.next_cursor },
      });
    },
  },
  'admin.users.invite': {
    tier: 2,
    scopes: ['admin.users:write'],
    tokenTypes: ['org'],
    plans: ENTERPRISE,
    adminError: 'failed_to_validate_caller',
    run(state, { args }) {
      if (args.team_id !== state.team.id) return fail('team_not_found');
      const channelIds = list(args.channel_ids);
      if (channelIds.length === 0) return fail('invalid_arguments');
      if (channelIds.some((id) => !state.channels.some((c) => c.id === id)))
        return fail('failed_to_validate_channels');
      const email = args.email ?? '';
      if (!EMAIL.test(email)) return fail('invalid_email');
      const existing = findByEmail(state, email);
      if (existing?.deleted) return fail('user_disabled');
      if (existing?.invited) return fail('already_in_team_invited_user');
      if (existing) return fail('already_in_team');
      const id = newUserId(state);
      const local = email.split('@')[0] ?? 'new';
      state.users.push({
        id,
        name: local.toLowerCase(),
        realName: args.real_name ?? local,
        email,
        deleted: false,
        invited: true,
        isBot: false,
        isAdmin: false,
        isOwner: false,
        isPrimaryOwner: false,
        updated: Math.floor(Date.now() / 1000),
      });
      joinChannels(state, id, channelIds);
      return ok();
    },
  },
  'admin.users.assign': {
    tier: 2,
    scopes: ['admin.users:write'],
    tokenTypes: ['org'],
    plans: ENTERPRISE,
    adminError: 'not_an_admin',
    run(state, { args }) {
      if (args.team_id !== state.team.id) return fail('team_not_found');
      const user = state.users.find((u) => u.id === args.user_id);
      if (!user) return fail('user_not_found');
      if (user.isBot) return fail('user_is_bot');
      if (!user.deleted) return fail('user_already_team_member');
      user.deleted = false;
      joinChannels(state, user.id, list(args.channel_ids));
      return ok();
    },
  },
  'admin.users.remove': {
    tier: 2,
    scopes: ['admin.users:write'],
    tokenTypes: ['org'],
    plans: ENTERPRISE,
    adminError: 'invalid_permissions',
    run(state, { args }) {
      if (args.team_id !== state.team.id) return fail('team_not_found');
      const user = state.users.find((u) => u.id === args.user_id);
      if (!user) return fail('user_not_found');
      if (user.isPrimaryOwner) return fail('cannot_modify_primary_owner');
      if (user.deleted) return fail('user_already_deleted');
      if (user.invited) {
        state.users = state.users.filter((u) => u !== user);
        return ok();
      }
      user.deleted = true;
      for (const c of state.channels) c.members = c.members.filter((m) => m !== user.id);
      return ok();
    },
  },
  // "Returns a list of user IDs belonging to the members in a conversation", cursor-paginated
  // (docs.slack.dev/reference/methods/conversations.members). A private channel the caller is not
  // in is `channel_not_found`, as if it did not exist.
  'conversations.members': {
    tier: 4,
    scopes: ['channels:read', 'groups:read'],
    run(state, { token, args }) {
      const channel = state.channels.find((c) => c.id === args.channel);
      if (!channel || (channel.isPrivate && !channel.members.includes(token.userId)))
        return fail('channel_not_found');
      if (args.limit !== undefined && !(Number.parseInt(args.limit, 10) >= 1)) {
        return fail('invalid_limit');
      }
      const paged = pageOf(channel.members, args, 100);
      if (!paged) return fail('invalid_cursor');
      return ok({ members: paged.page, response_metadata: { next_cursor: paged.next_cursor } });
    },
  },
  'conversations.invite': {
    tier: 3,
    scopes: ['channels:manage', 'channels:write.invites', 'groups:write', 'groups:write.invites'],
    run(state, { token, args }) {
      const channel = state.channels.find((c) => c.id === args.channel);
      if (!channel) return fail('channel_not_found');
      if (channel.archived) return fail('is_archived');
      if (list(args.users).length === 0) return fail('no_user');
      if (!channel.members.includes(token.userId)) return fail('not_in_channel');
      if (list(args.users).includes(token.userId)) return fail('cant_invite_self');
      for (const id of list(args.users)) {
        const user = state.users.find((u) => u.id === id);
        if (!user || user.deleted) return fail('user_not_found');
        if (channel.members.includes(id)) return fail('already_in_channel');
      }
      for (const id of list(args.users)) channel.members.push(id);
      return ok({ channel: channelJson(channel) });
    },
  },
  'conversations.kick': {
    tier: 3,
    scopes: ['channels:manage', 'groups:write'],
    run(state, { token, args }) {
      const channel = state.channels.find((c) => c.id === args.channel);
      if (!channel) return fail('channel_not_found');
      if (!args.user) return fail('no_user');
      if (!state.users.some((u) => u.id === args.user)) return fail('user_not_found');
      if (args.user === token.userId) return fail('cant_kick_self');
      if (channel.name === 'general') return fail('cant_kick_from_general');
      if (!channel.members.includes(args.user ?? '')) return fail('not_in_channel');
      channel.members = channel.members.filter((m) => m !== args.user);
      return ok();
    },
  },
  // Undocumented methods of the legacy token, as the seed used them.
  'users.admin.invite': {
    tier: 2,
    scopes: ['client'],
    tokenTypes: ['legacy'],
    adminError: 'not_an_admin',
    run(state, { args }) {
      const email = args.email ?? '';
      if (!EMAIL.test(email)) return fail('invalid_email');
      const existing = findByEmail(state, email);
      if (existing?.deleted) return fail('user_disabled');
      if (existing?.invited) return fail('already_invited');
      if (existing) return fail('already_in_team');
      const id = newUserId(state);
      state.users.push({
        id,
        name: (email.split('@')[0] ?? 'new').toLowerCase(),
        realName: [args.first_name, args.last_name].filter(Boolean).join(' ') || email,
        email,
        deleted: false,
        invited: true,
        isBot: false,
        isAdmin: false,
        isOwner: false,
        isPrimaryOwner: false,
        updated: Math.floor(Date.now() / 1000),
      });
      joinChannels(state, id, list(args.channels));
      return ok();
    },
  },
  'users.admin.setInactive': {
    tier: 2,
    scopes: ['client'],
    tokenTypes: ['legacy'],
    plans: PAID,
    adminError: 'not_an_admin',
    run(state, { args }) {
      const user = state.users.find((u) => u.id === args.user);
      if (!user) return fail('user_not_found');
      if (user.isPrimaryOwner) return fail('cant_disable_primary_owner');
      if (user.invited) state.users = state.users.filter((u) => u !== user);
      else user.deleted = true;
      return ok();
    },
  },
  'users.admin.setRegular': {
    tier: 2,
    scopes: ['client'],
    tokenTypes: ['legacy'],
    plans: PAID,
    adminError: 'not_an_admin',
    run(state, { args }) {
      const user = state.users.find((u) => u.id === args.user);
      if (!user) return fail('user_not_found');
      user.deleted = false;
      return ok();
    },
  },
};

/** Query and body arguments as strings (JSON bodies may carry arrays and booleans). */
function argsOf(req: SandboxRequest): Args {
  const args: Args = Object.fromEntries(req.query);
  if (req.body && typeof req.body === 'object') {
    for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      args[k] = Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v : String(v);
    }
  }
  return args;
}

function bearer(req: SandboxRequest, args: Args): string | undefined {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1] ?? args.token;
}

/** Serves `/api/{method}`: auth, plan, rate tier, scope, then the method itself. */
export function serveWebApi(req: SandboxRequest, state: SlackSandboxState): SandboxResponse {
  const method = req.path.replace(/^\/api\//, '');
  const args = argsOf(req);
  if (method === 'oauth.v2.access') return exchangeCode(state, req, args);
  const spec = METHODS[method];
  if (!spec) return { status: 404, body: { ok: false, error: 'unknown_method' } };
  const raw = bearer(req, args);
  if (!raw) return fail('not_authed');
  const token = state.tokens[raw];
  if (!token) return fail('invalid_auth');
  if (token.revoked) return fail('token_revoked');
  const actor = state.users.find((u) => u.id === token.userId);
  if (!actor || actor.deleted) return fail('account_inactive');
  const limit = state.limits[`tier${spec.tier}`];
  const wait = hitWindow(state, `${method}:${state.app.appId}`, limit);
  if (wait !== undefined)
    return {
      status: 429,
      headers: { 'retry-after': wait },
      body: { ok: false, error: 'ratelimited' },
    };
  if (spec.plans && !spec.plans.allowed.includes(state.plan)) return fail(spec.plans.error);
  if (spec.tokenTypes && !spec.tokenTypes.includes(token.type))
    return fail('not_allowed_token_type');
  if (!spec.scopes.some((s) => token.scopes.includes(s))) {
    return fail('missing_scope', {
      needed: spec.scopes.join(','),
      provided: token.scopes.join(','),
    });
  }
  if (spec.adminError && !actor.isAdmin && !actor.isOwner) return fail(spec.adminError);
  return spec.run(state, { token, args });
}
