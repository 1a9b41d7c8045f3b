import type { Handler, SandboxRequest, SandboxResponse } from '@orchester/sandbox';
import { credentialsOf } from './credentials.js';
import { admitKey, admitToken } from './rate-limits.js';
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
function api(handler: ApiHandler, options: { write?: boolean } = {}): Handler<TrelloSandboxState> {
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

function accountById(state: TrelloSandboxState, id: string): SandboxAccount | undefined {
  return state.accounts.find((a) => a.id === id);
}

/** The member object; `email` only for the caller itself or for a workspace admin's view. */
function memberJson(account: SandboxAccount, withEmail: boolean) {
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
    ...(withEmail ? { email: account.email } : {}),
  };
}

function membershipJson(
  state: TrelloSandboxState,
  m: SandboxMembership,
  withMember: boolean,
  withEmail: boolean,
) {
  const account = accountById(state, m.idMember);
  return {
    id: m.id,
    idMember: m.idMember,
    memberType: m.memberType,
    unconfirmed: m.unconfirmed,
    deactivated: m.deactivated,
    ...(withMember && account ? { member: memberJson(account, withEmail) } : {}),
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
    api((req, state, caller) => {
      const id = req.params.id ?? '';
      const account =
        id === 'me'
          ? accountById(state, caller.idMember)
          : state.accounts.find((a) => a.id === id || a.username === id.toLowerCase());
      if (!account) return NOT_FOUND;
      return { status: 200, body: memberJson(account, account.id === caller.idMember) };
    }),
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
      onOrganization('member', (_req, state, org) => ({
        status: 200,
        body: org.memberships
          .filter((m) => !m.deactivated)
          .map((m) => accountById(state, m.idMember))
          .filter((a): a is SandboxAccount => a !== undefined)
          .map((a) => memberJson(a, false)),
      })),
    ),
  );

  route(
    'GET',
    '/1/organizations/:id/memberships',
    api(
      onOrganization('member', (req, state, org, caller) => {
        const filter = req.query.get('filter') ?? 'all';
        if (!MEMBERSHIP_FILTERS.has(filter)) return text(400, 'invalid value for filter');
        const withMember = req.query.get('member') === 'true';
        // Unverified: that admins see members' e-mail addresses here. orchester matches e-mails on it.
        const withEmail = access(org, caller) === 'admin';
        const kept = org.memberships.filter((m) => {
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
        });
        return {
          status: 200,
          body: kept.map((m) => membershipJson(state, m, withMember, withEmail)),
        };
      }),
    ),
  );

  route(
    'PUT',
    '/1/organizations/:id/members',
    api(
      onOrganization('admin', (req, state, org) => {
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
        // An invitation waits for the person to accept, even when they have an account.
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
              .map((a) => memberJson(a!, false)),
            memberships: org.memberships.map((m) => membershipJson(state, m, false, false)),
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
      onOrganization('admin', (req, state, org) => {
        const idMember = req.params.idMember ?? '';
        const type = req.query.get('type');
        if (type !== 'normal' && type !== 'admin') return text(400, 'invalid value for type');
        if (!HEX_ID.test(idMember)) return text(400, 'invalid id');
        const account = accountById(state, idMember);
        if (!account) return NOT_FOUND;
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
        return { status: 200, body: memberJson(account, false) };
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
      onOrganization('admin', (req, _state, org) => {
        const value = req.query.get('value');
        if (value !== 'true' && value !== 'false') return text(400, 'invalid value for value');
        const found = targetMembership(req, org);
        if (isResponse(found)) return found;
        found.deactivated = value === 'true';
        return { status: 200, body: {} };
      }),
      { write: true },
    ),
  );
}
