/** Slack plans decide which doors answer: admin.* on Enterprise Grid, SCIM on Business+ and up. */
export const SLACK_PLANS = ['free', 'pro', 'business+', 'enterprise'] as const;
export type SlackPlan = (typeof SLACK_PLANS)[number];

/** bot (xoxb), user (xoxp), org (org-level user token on Grid), legacy (the old full-access xoxp). */
export type TokenType = 'bot' | 'user' | 'org' | 'legacy';

export interface SandboxToken {
  type: TokenType;
  scopes: string[];
  /** The user the token acts as. */
  userId: string;
  revoked?: boolean;
}

export interface SandboxUser {
  id: string;
  name: string;
  realName: string;
  email?: string | undefined;
  deleted: boolean;
  invited: boolean;
  isBot: boolean;
  isAdmin: boolean;
  isOwner: boolean;
  isPrimaryOwner: boolean;
  updated: number;
}

export interface SandboxChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  archived: boolean;
  members: string[];
}

export interface OAuthGrant {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userScopes: string[];
  used: boolean;
}

/** Requests per minute by tier (Web API) and SCIM class; tests lower them to see 429s. */
export interface SandboxLimits {
  windowMs: number;
  tier1: number;
  tier2: number;
  tier3: number;
  tier4: number;
  scimRead: number;
  scimWrite: number;
}

export interface SlackSandboxState {
  plan: SlackPlan;
  team: { id: string; name: string };
  enterprise: { id: string; name: string };
  users: SandboxUser[];
  channels: SandboxChannel[];
  tokens: Record<string, SandboxToken>;
  app: { appId: string; clientId: string; clientSecret: string };
  oauth: { deny: boolean; grants: Record<string, OAuthGrant> };
  limits: SandboxLimits;
  /** Fixed-window counters, keyed by method (or SCIM class) and app. */
  usage: Record<string, { start: number; count: number }>;
  nextId: number;
}

/** The sandbox's fixed credentials: fake, and shaped like Slack's so redaction catches them. */
export const SANDBOX_TOKENS = {
  bot: 'xoxb-sandbox-bot-token',
  orgAdmin: 'xoxp-sandbox-org-admin-token',
  orgMember: 'xoxp-sandbox-org-member-token',
  scim: 'xoxp-sandbox-scim-token',
  legacy: 'xoxp-sandbox-legacy-token',
  botNoEmail: 'xoxb-sandbox-no-email-scope',
  revoked: 'xoxb-sandbox-revoked-token',
} as const;

export const SANDBOX_APP = {
  appId: 'A0SANDBOX1',
  clientId: '1000000001.2000000002',
  clientSecret: 'sandbox-client-secret-0123',
};
export const SANDBOX_TEAM = { id: 'T0SANDBOX1', name: 'Sandbox Workspace' };
export const SANDBOX_CHANNELS = {
  general: 'C0GENERAL1',
  onboarding: 'C0ONBOARD1',
  secret: 'G0SECRET01',
};

const READ = ['users:read', 'users:read.email'];

/** A workspace account as the emulator keeps it: a plain member unless `extra` says otherwise. */
export function sandboxUser(
  id: string,
  name: string,
  email: string,
  extra: Partial<SandboxUser> = {},
): SandboxUser {
  return {
    id,
    name,
    realName: name.replace(/\b\w/g, (c) => c.toUpperCase()),
    email,
    deleted: false,
    invited: false,
    isBot: false,
    isAdmin: false,
    isOwner: false,
    isPrimaryOwner: false,
    updated: 1_767_225_600,
    ...extra,
  };
}

/** A workspace on `plan` with an owner, a few people in every state, a bot and Slackbot. */
export function workspace(plan: SlackPlan, extraPeople = 0): SlackSandboxState {
  const users: SandboxUser[] = [
    sandboxUser('U0OWNER001', 'olive', 'olive@example.com', {
      isAdmin: true,
      isOwner: true,
      isPrimaryOwner: true,
    }),
    sandboxUser('U0ADA00001', 'ada', 'Ada@Example.com'),
    sandboxUser('U0GRACE001', 'grace', 'grace@example.com', { deleted: true }),
    sandboxUser('U0INVITE01', 'ivan', 'ivan@example.com', { invited: true }),
    sandboxUser('U0MEMBER01', 'mona', 'mona@example.com'),
    { ...sandboxUser('USLACKBOT', 'slackbot', ''), email: undefined, realName: 'Slackbot' },
    {
      ...sandboxUser('U0BOT00001', 'orchester', ''),
      email: undefined,
      isBot: true,
      realName: 'orchester',
    },
  ];
  for (let i = 0; i < extraPeople; i++) {
    const n = String(i).padStart(4, '0');
    users.push(sandboxUser(`U0P${n}X`, `person${n}`, `person${n}@example.com`));
  }
  return {
    plan,
    team: { ...SANDBOX_TEAM },
    enterprise: { id: 'E0SANDBOX1', name: 'Sandbox Org' },
    users,
    channels: [
      {
        id: SANDBOX_CHANNELS.general,
        name: 'general',
        isPrivate: false,
        archived: false,
        members: users.filter((u) => !u.isBot && !u.deleted).map((u) => u.id),
      },
      {
        id: SANDBOX_CHANNELS.onboarding,
        name: 'onboarding',
        isPrivate: false,
        archived: false,
        members: ['U0BOT00001', 'U0ADA00001'],
      },
      {
        id: SANDBOX_CHANNELS.secret,
        name: 'secret',
        isPrivate: true,
        archived: false,
        members: ['U0OWNER001'],
      },
    ],
    tokens: {
      [SANDBOX_TOKENS.bot]: {
        type: 'bot',
        scopes: [...READ, 'channels:manage', 'groups:write', 'channels:read', 'groups:read'],
        userId: 'U0BOT00001',
      },
      [SANDBOX_TOKENS.orgAdmin]: {
        type: 'org',
        scopes: [...READ, 'admin.users:read', 'admin.users:write'],
        userId: 'U0OWNER001',
      },
      [SANDBOX_TOKENS.orgMember]: {
        type: 'org',
        scopes: [...READ, 'admin.users:read', 'admin.users:write'],
        userId: 'U0MEMBER01',
      },
      [SANDBOX_TOKENS.scim]: { type: 'user', scopes: [...READ, 'admin'], userId: 'U0OWNER001' },
      [SANDBOX_TOKENS.legacy]: {
        type: 'legacy',
        scopes: [...READ, 'client', 'admin'],
        userId: 'U0OWNER001',
      },
      [SANDBOX_TOKENS.botNoEmail]: { type: 'bot', scopes: ['users:read'], userId: 'U0BOT00001' },
      [SANDBOX_TOKENS.revoked]: { type: 'bot', scopes: READ, userId: 'U0BOT00001', revoked: true },
    },
    app: { ...SANDBOX_APP },
    oauth: { deny: false, grants: {} },
    limits: {
      windowMs: 60_000,
      tier1: 1,
      tier2: 20,
      tier3: 50,
      tier4: 100,
      scimRead: 300,
      scimWrite: 180,
    },
    usage: {},
    nextId: 1,
  };
}

/** A fresh user id. */
export function newUserId(state: SlackSandboxState): string {
  const id = `U1NEW${String(state.nextId).padStart(5, '0')}`;
  state.nextId += 1;
  return id;
}

/** Counts one request in a fixed window; answers the seconds to wait when over `limit`. */
export function hitWindow(
  state: SlackSandboxState,
  key: string,
  limit: number,
  now = Date.now(),
): number | undefined {
  const windowMs = state.limits.windowMs;
  let w = state.usage[key];
  if (!w || now >= w.start + windowMs) {
    w = { start: now, count: 0 };
    state.usage[key] = w;
  }
  if (w.count >= limit) return Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
  w.count += 1;
  return undefined;
}

export function findByEmail(state: SlackSandboxState, email: string): SandboxUser | undefined {
  const wanted = email.trim().toLowerCase();
  return state.users.find((u) => !u.isBot && u.email?.toLowerCase() === wanted);
}
