import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { FixedWindowLimiter } from '@orchester/sandbox';
import { type AclWriteLog, newAclWriteLog } from './acl-writes.js';

export type PermissionType = 'user' | 'group' | 'domain' | 'anyone';
export type PermissionRole =
  | 'owner'
  | 'organizer'
  | 'fileOrganizer'
  | 'writer'
  | 'commenter'
  | 'reader';

/** A permission as Drive keeps it (the `Permission` resource). */
export interface DrivePermission {
  id: string;
  type: PermissionType;
  role: PermissionRole;
  emailAddress?: string;
  domain?: string;
  displayName?: string;
  allowFileDiscovery?: boolean;
  expirationTime?: string;
  deleted?: boolean;
  /** A writer the owner asked to take over ownership (My Drive items only). */
  pendingOwner?: boolean;
  /** Shared-drive items only, as listed: whether the permission comes from the drive. Never stored. */
  permissionDetails?: Array<{
    permissionType: 'file' | 'member';
    role: PermissionRole;
    inherited: boolean;
    inheritedFrom?: string;
  }>;
}

/** A file, a folder or a shared drive: everything that has an ACL. */
export interface DriveItem {
  id: string;
  name: string;
  kind: 'file' | 'folder' | 'drive';
  /** The shared drive that holds the item, when it is in one. */
  driveId?: string;
  permissions: DrivePermission[];
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface ServiceAccount {
  clientEmail: string;
  privateKeyId: string;
  /** PKCS#8 PEM, handed to tests that write a key file; never logged. */
  privateKeyPem: string;
  publicKeyPem: string;
  /** Whether domain-wide delegation (`sub` claims) is allowed for this account. */
  delegation: boolean;
}

export interface IssuedToken {
  /** Who the token acts as (an e-mail). */
  subject: string;
  expiresAt: number;
  scope: string;
}

export interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  scope: string;
  subject: string;
}

/** Requests allowed per window; over → Drive's 403s. */
export interface DriveQuotas {
  windowMs: number;
  /** All requests of the project → 403 rateLimitExceeded. */
  projectRequests: number;
  /** Requests of one user (token subject) → 403 userRateLimitExceeded. */
  userRequests: number;
  /** Permission creations of one user → 403 sharingRateLimitExceeded. */
  userShares: number;
}

export interface DriveState {
  items: Map<string, DriveItem>;
  clients: OAuthClient[];
  serviceAccounts: ServiceAccount[];
  /** Access token → its grant. */
  accessTokens: Map<string, IssuedToken>;
  /** Refresh token → the client and user it belongs to. */
  refreshTokens: Map<string, { clientId: string; subject: string; scope: string }>;
  codes: Map<string, PendingCode>;
  /** The user who approves on the consent screen. */
  consentUser: string;
  /** `deny` makes the consent screen answer `error=access_denied`. */
  consent: 'approve' | 'deny';
  accessTokenTtlSeconds: number;
  /** E-mails without a Google account: sharing with them needs a notification e-mail. */
  noGoogleAccount: Set<string>;
  /** E-mails Drive shares with but cannot deliver the notification to (answers 400 after sharing). */
  undeliverable: Set<string>;
  /**
   * How long a permission write takes to land. Of writes to one item that overlap, only the last
   * to arrive is applied, as Drive documents for concurrent permission changes.
   */
  aclWriteDelayMs: number;
  /** Permission writes in progress now, the most there ever were at once, and the tests' hold. */
  aclWrites: AclWriteLog;
  quotas: DriveQuotas;
  limiters: { project: FixedWindowLimiter; user: FixedWindowLimiter; shares: FixedWindowLimiter };
}

export const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';
export const SANDBOX_CLIENT: OAuthClient = {
  clientId: '1234567890-sandbox.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-sandbox-client-secret-0001',
};
export const SANDBOX_REFRESH_TOKEN = '1//0sandbox-refresh-token-for-orchester-demo';
export const SANDBOX_OWNER = 'owner@example.com';
export const SANDBOX_SERVICE_ACCOUNT = 'orchester@sandbox-project.iam.gserviceaccount.com';

let keyPair: { privateKeyPem: string; publicKeyPem: string } | undefined;
/** One RSA key pair per process: generating one takes tens of milliseconds. */
function sandboxKeyPair() {
  keyPair ??= (() => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  })();
  return keyPair;
}

/** Drive's permission id for a user or group is stable per account. */
export function permissionIdFor(email: string): string {
  const digits = BigInt(
    `0x${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16)}`,
  );
  return digits.toString().padStart(20, '0');
}

export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

export function user(
  email: string,
  role: PermissionRole,
  extra: Partial<DrivePermission> = {},
): DrivePermission {
  return {
    id: permissionIdFor(email),
    type: 'user',
    role,
    emailAddress: email,
    displayName: email.split('@')[0] ?? email,
    ...extra,
  };
}

export function makeLimiters(quotas: DriveQuotas): DriveState['limiters'] {
  return {
    project: new FixedWindowLimiter(quotas.projectRequests, quotas.windowMs),
    user: new FixedWindowLimiter(quotas.userRequests, quotas.windowMs),
    shares: new FixedWindowLimiter(quotas.userShares, quotas.windowMs),
  };
}

/** Sets new quotas (tests lower them to reach a limit quickly). */
export function setQuotas(state: DriveState, quotas: Partial<DriveQuotas>): void {
  state.quotas = { ...state.quotas, ...quotas };
  state.limiters = makeLimiters(state.quotas);
}

/** Makes every issued access token expired, so the next call answers 401 and refresh is needed. */
export function expireAccessTokens(state: DriveState): void {
  for (const token of state.accessTokens.values()) token.expiresAt = 0;
}

function baseState(items: DriveItem[]): DriveState {
  const keys = sandboxKeyPair();
  const quotas: DriveQuotas = {
    windowMs: 60_000,
    projectRequests: 100_000,
    userRequests: 20_000,
    userShares: 5_000,
  };
  return {
    items: new Map(items.map((i) => [i.id, i])),
    clients: [{ ...SANDBOX_CLIENT }],
    serviceAccounts: [
      {
        clientEmail: SANDBOX_SERVICE_ACCOUNT,
        privateKeyId: 'sandbox-key-1',
        ...keys,
        delegation: true,
      },
    ],
    accessTokens: new Map(),
    refreshTokens: new Map([
      [
        SANDBOX_REFRESH_TOKEN,
        { clientId: SANDBOX_CLIENT.clientId, subject: SANDBOX_OWNER, scope: DRIVE_SCOPE },
      ],
    ]),
    codes: new Map(),
    consentUser: SANDBOX_OWNER,
    consent: 'approve',
    accessTokenTtlSeconds: 3600,
    noGoogleAccount: new Set(['no-account@elsewhere.test']),
    undeliverable: new Set(['bounces@elsewhere.test']),
    aclWriteDelayMs: 2,
    aclWrites: newAclWriteLog(),
    quotas,
    limiters: makeLimiters(quotas),
  };
}

/** A folder, a file and a shared drive, with owner, domain and anyone permissions among the people. */
export function demoState(): DriveState {
  const folderMembers = ['ada@example.com', 'grace@example.com'];
  return baseState([
    {
      id: 'folder-team',
      name: 'Team folder',
      kind: 'folder',
      permissions: [
        user(SANDBOX_OWNER, 'owner'),
        user(folderMembers[0]!, 'writer'),
        user(folderMembers[1]!, 'reader'),
        { id: 'anyoneWithLink', type: 'anyone', role: 'reader', allowFileDiscovery: false },
        {
          id: '08532145628914713042k',
          type: 'domain',
          role: 'commenter',
          domain: 'example.com',
          displayName: 'example.com',
          allowFileDiscovery: true,
        },
      ],
    },
    {
      id: 'file-plan',
      name: 'Plan.docx',
      kind: 'file',
      permissions: [
        user(SANDBOX_OWNER, 'owner'),
        user('linus@example.com', 'commenter'),
        user('margaret@example.com', 'writer', { pendingOwner: true }),
      ],
    },
    {
      id: 'drive-eng',
      name: 'Engineering',
      kind: 'drive',
      permissions: [user(SANDBOX_OWNER, 'organizer'), user('ken@example.com', 'writer')],
    },
    {
      id: 'folder-in-drive',
      name: 'Designs',
      kind: 'folder',
      driveId: 'drive-eng',
      // owner@ and ken@ inherit their drive roles here; ken@ also manages this folder's files.
      permissions: [user('ken@example.com', 'fileOrganizer')],
    },
  ]);
}

export function emptyState(): DriveState {
  return baseState([
    {
      id: 'folder-empty',
      name: 'Empty folder',
      kind: 'folder',
      permissions: [user(SANDBOX_OWNER, 'owner')],
    },
  ]);
}

/** A folder with `count` readers besides its owner (pagination tests). */
export function addManyReaders(
  state: DriveState,
  itemId: string,
  count: number,
  domain = 'many.example.com',
): void {
  const item = state.items.get(itemId);
  if (!item) throw new Error(`no item ${itemId}`);
  for (let i = 0; i < count; i++)
    item.permissions.push(user(`person${String(i).padStart(4, '0')}@${domain}`, 'reader'));
}
