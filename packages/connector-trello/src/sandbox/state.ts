import { TRELLO_LIMITS } from '../config.js';

/** A Trello account. `ghost`: made by an e-mail invitation, never signed up. */
export interface SandboxAccount {
  id: string;
  username: string;
  fullName: string;
  email: string;
  confirmed: boolean;
  memberType: 'normal' | 'ghost';
}

export interface SandboxMembership {
  id: string;
  idMember: string;
  memberType: 'normal' | 'admin';
  unconfirmed: boolean;
  deactivated: boolean;
}

export interface SandboxOrganization {
  id: string;
  name: string;
  displayName: string;
  memberships: SandboxMembership[];
}

export interface SandboxBoard {
  id: string;
  name: string;
  idOrganization: string;
  idMembers: string[];
}

export interface SandboxToken {
  token: string;
  key: string;
  idMember: string;
  /** `read`, `write`, and `account` (which alone shows the token owner's own e-mail). */
  scope: string[];
  /** Epoch ms, or null for `expiration=never`. */
  expiresAt: number | null;
}

/** Trello's published limits by default; tests shorten the window (and scale the client with it). */
export interface SandboxLimits {
  perToken: number;
  perKey: number;
  windowMs: number;
  /** After this many 429s on one key in a window, every request of the key gets 429 until it ends. */
  keyBlockAfter429s: number;
  /** Requests per token to `/1/members/{id}` (not its nested routes) per `membersRouteWindowMs`. */
  membersRoute: number;
  membersRouteWindowMs: number;
}

export interface TrelloSandboxState {
  accounts: SandboxAccount[];
  organizations: SandboxOrganization[];
  boards: SandboxBoard[];
  keys: string[];
  tokens: SandboxToken[];
  /** Whose token `/1/authorize` hands out. */
  authorizeAs: string;
  limits: SandboxLimits;
  nextId: number;
}

/** Fake credentials of the sandbox; they open nothing but the emulator. */
export const SANDBOX_KEY = '5a0dbeefc0ffee5a0dbeefc0ffee5a0d';
/** The workspace admin's token, scope read,write. */
export const SANDBOX_TOKEN = `5a${'0'.repeat(30)}${'c0ffee00'.repeat(4)}`;
/** The same admin, scope read only. */
export const SANDBOX_READ_ONLY_TOKEN = `5a${'1'.repeat(30)}${'c0ffee00'.repeat(4)}`;
/** A normal (not admin) member of the workspace, scope read,write. */
export const SANDBOX_NORMAL_TOKEN = `5a${'2'.repeat(30)}${'c0ffee00'.repeat(4)}`;

/** A 24-hex Trello id from a counter. */
export function sandboxId(n: number): string {
  return `5a${n.toString(16).padStart(22, '0')}`;
}

/** The next free id of the state. */
export function nextId(state: TrelloSandboxState): string {
  state.nextId += 1;
  return sandboxId(state.nextId);
}

export function defaultLimits(): SandboxLimits {
  return {
    perToken: TRELLO_LIMITS.perToken,
    perKey: TRELLO_LIMITS.perKey,
    windowMs: TRELLO_LIMITS.windowMs,
    keyBlockAfter429s: 200,
    membersRoute: TRELLO_LIMITS.membersRoute,
    membersRouteWindowMs: TRELLO_LIMITS.membersRouteWindowMs,
  };
}

type Person = [username: string, fullName: string, email: string, confirmed?: boolean];

function account(
  id: number,
  [username, fullName, email, confirmed = true]: Person,
): SandboxAccount {
  return {
    id: sandboxId(id),
    username,
    fullName,
    email,
    confirmed,
    memberType: confirmed ? 'normal' : 'ghost',
  };
}

function membership(
  id: number,
  idMember: number,
  memberType: 'normal' | 'admin',
  extra: Partial<SandboxMembership> = {},
): SandboxMembership {
  return {
    id: sandboxId(id),
    idMember: sandboxId(idMember),
    memberType,
    unconfirmed: false,
    deactivated: false,
    ...extra,
  };
}

/**
 * Workspace `acme`: admins orchester_admin (the token's owner) and ada; normals grace and ken;
 * linus deactivated; margaret invited by e-mail and not yet confirmed. alan and barbara have
 * accounts but are not in it. Boards Roadmap and Ops belong to acme; Elsewhere to globex.
 */
export function demoState(options: { limits?: Partial<SandboxLimits> } = {}): TrelloSandboxState {
  const people: Person[] = [
    ['orchester_admin', 'Orchester Admin', 'admin@acme.example'],
    ['ada', 'Ada Lovelace', 'ada@acme.example'],
    ['grace', 'Grace Hopper', 'grace@acme.example'],
    ['linus', 'Linus Torvalds', 'linus@acme.example'],
    ['margaret91650112', 'margaret', 'margaret@acme.example', false],
    ['alan', 'Alan Turing', 'alan@example.org'],
    ['barbara', 'Barbara Liskov', 'barbara@example.org'],
    ['ken', 'Ken Thompson', 'ken@acme.example'],
  ];
  const accounts = people.map((p, i) => account(i + 1, p));
  return {
    accounts,
    organizations: [
      {
        id: sandboxId(101),
        name: 'acme',
        displayName: 'Acme',
        memberships: [
          membership(201, 1, 'admin'),
          membership(202, 2, 'admin'),
          membership(203, 3, 'normal'),
          membership(204, 4, 'normal', { deactivated: true }),
          membership(205, 5, 'normal', { unconfirmed: true }),
          membership(208, 8, 'normal'),
        ],
      },
      {
        id: sandboxId(102),
        name: 'globex',
        displayName: 'Globex',
        memberships: [membership(211, 1, 'admin'), membership(212, 3, 'normal')],
      },
    ],
    boards: [
      {
        id: sandboxId(301),
        name: 'Roadmap',
        idOrganization: sandboxId(101),
        idMembers: [1, 2, 3, 4].map(sandboxId),
      },
      {
        id: sandboxId(302),
        name: 'Ops',
        idOrganization: sandboxId(101),
        idMembers: [1, 3, 8].map(sandboxId),
      },
      {
        id: sandboxId(303),
        name: 'Elsewhere',
        idOrganization: sandboxId(102),
        idMembers: [1, 3].map(sandboxId),
      },
    ],
    keys: [SANDBOX_KEY],
    tokens: [
      {
        token: SANDBOX_TOKEN,
        key: SANDBOX_KEY,
        idMember: sandboxId(1),
        scope: ['read', 'write'],
        expiresAt: null,
      },
      {
        token: SANDBOX_READ_ONLY_TOKEN,
        key: SANDBOX_KEY,
        idMember: sandboxId(1),
        scope: ['read'],
        expiresAt: null,
      },
      {
        token: SANDBOX_NORMAL_TOKEN,
        key: SANDBOX_KEY,
        idMember: sandboxId(8),
        scope: ['read', 'write'],
        expiresAt: null,
      },
    ],
    authorizeAs: sandboxId(1),
    limits: { ...defaultLimits(), ...options.limits },
    nextId: 1000,
  };
}

/** Only the admin and the workspace, no boards. */
export function emptyState(options: { limits?: Partial<SandboxLimits> } = {}): TrelloSandboxState {
  const state = demoState(options);
  const acme = state.organizations[0]!;
  acme.memberships = acme.memberships.slice(0, 1);
  state.organizations = [acme];
  state.accounts = state.accounts.slice(0, 1);
  state.boards = [];
  state.tokens = state.tokens.filter((t) => t.idMember === sandboxId(1));
  return state;
}
