import type { Handler, SandboxRequest, SandboxResponse } from '@orchester/sandbox';
import { credentialsOf } from './credentials.js';
import { admitKey, admitMembersRoute, admitToken } from './rate-limits.js';
import {
  nextId,
  type SandboxAccount,
  type SandboxMembership,
  type SandboxOrganization,
  type SandboxToken,
  type TrelloSandboxState,
} from './state.js';

type Route = (method: string, path: string, handler: Handler<TrelloSandboxState>) => void;
type ApiHandler = (
  req: SandboxRequest,
  state: TrelloSandboxState,
  caller: SandboxToken,
) => SandboxResponse;

// Trello's errors are plain text; the toolkit sends a string body as text/plain.
const text = (status: number, body: string): SandboxResponse => ({ status, body });
const NOT_FOUND = text(404, 'model not found');
const UNAUTHORIZED = text(401, 'unauthorized permission requested');
const HEX_ID = /^[0-9a-f]{24}$/i;

/**
 * Every API route: credentials (header or query), the per-key and per-token windows, the token's
 * scope for writes; rate-limit headers on every answer that got past the key.
 */
function api(
  handler: ApiHandler,
  options: { write?: boolean; membersRoute?: boolean } = {},
): Handler<TrelloSandboxState> {
  return (req, state) => {
    const { key, token } = credentialsOf(req);
    if (!key || !state.keys.includes(key)) return text(401, 'invalid key');
    const byKey = admitKey(state, key);
    if (byKey.refused) return byKey.refused;
    const withHeaders = (
      res: SandboxResponse,
      headers: Record<string, string>,
    ): SandboxResponse => ({
      ...res,
      headers: { ...headers, ...res.headers },
    });
    if (!token) return withHeaders(UNAUTHORIZED, byKey.headers);
    const caller = state.tokens.find((t) => t.token === token);
    if (!caller || caller.key !== key)
      return withHeaders(text(401, 'invalid token'), byKey.headers);
    if (caller.expiresAt !== null && caller.expiresAt <= Date.now())
      return withHeaders(text(401, 'expired token'), byKey.headers);
    const byToken = admitToken(state, key, token, byKey.headers);
    if (byToken.refused) return byToken.refused;
    if (options.membersRoute) {
      const refused = admitMembersRoute(state, key, token, byToken.headers);
      if (refused) return refused;
    }
    if (options.write && !caller.scope.includes('write'))
      return withHeaders(UNAUTHORIZED, byToken.headers);
    return withHeaders(handler(req, state, caller), byToken.headers);
  };
}

function findOrganization(
  state: TrelloSandboxState,
  idOrName: string,
): SandboxOrganization | undefined {
  return state.organizations.find((o) => o.id === idOrName || o.name === idOrName.toLowerCase());
}

// Accounts by id, rebuilt when the list changes: memberships of big workspaces look up every member.
const byIdCache = new WeakMap<
  SandboxAccount[],
  { size: number; map: Map<string, SandboxAccount> }
>();

function accountById(state: TrelloSandboxState, id: string): SandboxAccount | undefined {
  let cached = byIdCache.get(state.accounts);
  if (!cached || cached.size !== state.accounts.length) {
    cached = { size: state.accounts.length, map: new Map(state.accounts.map((a) => [a.id, a])) };
    byIdCache.set(state.accounts, cached);
  }
  return cached.map.get(id);
}

/** A 24-hex id names an account by id; anything else is a username. */
function accountByIdOrUsername(
  state: TrelloSandboxState,
  idOrUsername: string,
): SandboxAccount | undefined {
  if (HEX_ID.test(idOrUsername)) return accountById(state, idOrUsername);
  return state.accounts.find((a) => a.username === idOrUsername.toLowerCase());
}

/**
 * The member object. Trello never shows another member's e-mail: `email` is null unless the
 * account is the token's owner and the token has the `account` scope.
 */
function memberJson(account: SandboxAccount, caller: SandboxToken) {
  const own = account.id === caller.idMember && caller.scope.includes('account');
  return {
    id: account.id,
    username: account.username,
    fullName: account.fullName,
    initials: account.fullName
      .split(/\s+/)
      .map((w) => w.charAt(0).toUpperCase())
      .join('')
      .slice(0, 4),
    confirmed: account.confirmed,
    memberType: account.memberType,
    url: `https://trello.com/${account.username}`,
    email: own ? account.email : null,
  };
}

function membershipJson(
  state: TrelloSandboxState,
  m: SandboxMembership,
  withMember: boolean,
  caller: SandboxToken,
) {
  const account = accountById(state, m.idMember);
  return {
    id: m.id,
    idMember: m.idMember,
    memberType: m.memberType,
    unconfirmed: m.unconfirmed,
    deactivated: m.deactivated,
    ...(withMember && account ? { member: memberJson(account, caller) } : {}),
  };
}

/** The caller's standing in a workspace: reads need membership, writes need admin. */
function access(org: SandboxOrganization, caller: SandboxToken): 'admin' | 'member' | 'none' {
  const own = org.memberships.find(
    (m) => m.idMember === caller.idMember && !m.deactivated && !m.unconfirmed,
  );
  return own ? (own.memberType === 'admin' ? 'admin' : 'member') : 'none';
}

/** Runs `fn` on the workspace the path names, when the caller may. */
function onOrganization(
  need: 'member' | 'admin',
  fn: (
    req: SandboxRequest,
    state: TrelloSandboxState,
    org: SandboxOrganization,
    caller: SandboxToken,
  ) => SandboxResponse,
): ApiHandler {
  return (req, state, caller) => {
    const org = findOrganization(state, req.params.id ?? '');
    if (!org) return NOT_FOUND;
    const standing = access(org, caller);
    if (standing === 'none' || (need === 'admin' && standing !== 'admin')) return UNAUTHORIZED;
    return fn(req, state, org, caller);
  };
}

/** The membership the path's `idMember` names: 400 `invalid id` for a malformed id, 404 for none. */
function targetMembership(
  req: SandboxRequest,
  org: SandboxOrganization,
): SandboxMembership | SandboxResponse {
  const idMember = req.params.idMember ?? '';
  if (!HEX_ID.test(idMember)) return text(400, 'invalid id');
  return org.memberships.find((m) => m.idMember === idMember) ?? NOT_FOUND;
}

function isResponse(value: unknown): value is SandboxResponse {
  return typeof value === 'object' && value !== null && 'status' in value;
}

const MEMBERSHIP_FILTERS = new Set(['all', 'active', 'admin', 'deactivated', 'me', 'normal']);

// Trello: "Cannot begin or end with a space", at least one character.
const FULL_NAME = /^\S(.*\S)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function registerRoutes(route: Route): void {
  route(
    'GET',
    '/1/members/:id',
    api(
      (req, state, caller) => {
        const id = req.params.id ?? '';
        const account =
          id === 'me'
            ? accountById(state, caller.idMember)
            : state.accounts.find((a) => a.id === id || a.username === id.toLowerCase());
        if (!account) return NOT_FOUND;
        return { status: 200, body: memberJson(account, caller) };
      },
      { membersRoute: true },
    ),
  );

  route(
    'GET',
    '/1/organizations/:id',
    api(
      onOrganization('member', (_req, state, org) => ({
        status: 200,
        body: {
          id: org.id,
          name: org.name,
          displayName: org.displayName,
          url: `https://trello.com/w/${org.name}`,
          idBoards: state.boards.filter((b) => b.idOrganization === org.id).map((b) => b.id),
        },
      })),
    ),
  );

  route(
    'GET',
    '/1/organizations/:id/members',
    api(
      onOrganization('member', (_req, state, org, caller) => ({
        status: 200,
        body: org.memberships
          .filter((m) => !m.deactivated)
          .map((m) => accountById(state, m.idMember))
          .filter((a): a is SandboxAccount => a !== undefined)
          .map((a) => memberJson(a, caller)),
      })),
    ),
  );

  route(
    'GET',
    '/1/organizations/:id/memberships',
    api(
      onOrganization('member', (req, state, org, caller) => {
        const filters = (req.query.get('filter') ?? 'all').split(',');
        if (filters.some((f) => !MEMBERSHIP_FILTERS.has(f)))
          return text(400, 'invalid value for filter');
        const withMember = req.query.get('member') === 'true';
        const matches = (m: SandboxMembership, filter: string): boolean => {
          switch (filter) {
            case 'active':
              return !m.deactivated;
            case 'deactivated':
              return m.deactivated;
            case 'admin':
            case 'normal':
              return m.memberType === filter;
            case 'me':
              return m.idMember === caller.idMember;
            default:
              return true;
          }
        };
        // A list keeps the memberships any of its filters keeps.
        const kept = org.memberships.filter((m) => filters.some((f) => matches(m, f)));
        return {
          status: 200,
          body: kept.map((m) => membershipJson(state, m, withMember, caller)),
        };
      }),
    ),
  );

  route(
    'PUT',
    '/1/organizations/:id/members',
    api(
      onOrganization('admin', (req, state, org, caller) => {
        const email = (req.query.get('email') ?? '').trim().toLowerCase();
        const fullName = req.query.get('fullName') ?? '';
        const type = req.query.get('type') ?? 'normal';
        if (!EMAIL.test(email)) return text(400, 'invalid email');
        if (!FULL_NAME.test(fullName)) return text(400, 'invalid value for fullName');
        if (type !== 'normal' && type !== 'admin') return text(400, 'invalid value for type');
        let account = state.accounts.find((a) => a.email === email);
        if (!account) {
          const id = nextId(state);
          const base = (email.split('@')[0] ?? 'user').replace(/[^a-z0-9_]/g, '') || 'user';
          account = {
            id,
            username: `${base}${parseInt(id.slice(-8), 16)}`,
            fullName,
            email,
            confirmed: false,
            memberType: 'ghost',
          };
          state.accounts.push(account);
        }
        const idMember = account.id;
        // An invitation waits for the person to accept, even when they have an account. An e-mail
        // already invited or already a member changes nothing (unconfirmed: see the README).
        if (!org.memberships.some((m) => m.idMember === idMember)) {
          org.memberships.push({
            id: nextId(state),
            idMember,
            memberType: type,
            unconfirmed: true,
            deactivated: false,
          });
        }
        return {
          status: 200,
          body: {
            id: org.id,
            members: org.memberships
              .map((m) => accountById(state, m.idMember))
              .filter((a) => a)
              .map((a) => memberJson(a!, caller)),
            memberships: org.memberships.map((m) => membershipJson(state, m, false, caller)),
          },
        };
      }),
      { write: true },
    ),
  );

  route(
    'PUT',
    '/1/organizations/:id/members/:idMember',
    api(
      onOrganization('admin', (req, state, org, caller) => {
        const type = req.query.get('type');
        if (type !== 'normal' && type !== 'admin') return text(400, 'invalid value for type');
        // "The ID or username of the member to update" (Trello's reference).
        const account = accountByIdOrUsername(state, req.params.idMember ?? '');
        if (!account) return NOT_FOUND;
        const idMember = account.id;
        const existing = org.memberships.find((m) => m.idMember === idMember);
        if (existing) existing.memberType = type;
        else
          org.memberships.push({
            id: nextId(state),
            idMember,
            memberType: type,
            unconfirmed: false,
            deactivated: false,
          });
        return { status: 200, body: memberJson(account, caller) };
      }),
      { write: true },
    ),
  );

  const removal = (fromBoards: boolean) =>
    api(
      onOrganization('admin', (req, state, org) => {
        const found = targetMembership(req, org);
        if (isResponse(found)) return found;
        org.memberships = org.memberships.filter((m) => m !== found);
        if (fromBoards) {
          for (const board of state.boards) {
            if (board.idOrganization === org.id)
              board.idMembers = board.idMembers.filter((id) => id !== found.idMember);
          }
        }
        return { status: 200, body: {} };
      }),
      { write: true },
    );
  route('DELETE', '/1/organizations/:id/members/:idMember', removal(false));
  route('DELETE', '/1/organizations/:id/members/:idMember/all', removal(true));

  route(
    'PUT',
    '/1/organizations/:id/members/:idMember/deactivated',
    api(
      onOrganization('admin', (req, state, org) => {
        const value = req.query.get('value');
        if (value !== 'true' && value !== 'false') return text(400, 'invalid value for value');
        // This route, too, takes "The ID or username of the member".
        const account = accountByIdOrUsername(state, req.params.idMember ?? '');
        const found = account && org.memberships.find((m) => m.idMember === account.id);
        if (!found) return NOT_FOUND;
        found.deactivated = value === 'true';
        return { status: 200, body: {} };
      }),
      { write: true },
    ),
  );
}
