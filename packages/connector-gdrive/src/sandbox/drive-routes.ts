import type { Handler, SandboxRequest, SandboxResponse } from '@orchester/sandbox';
import { writeAcl } from './acl-writes.js';
import { parseFields, project } from './fields.js';
import {
  badRequest,
  driveError,
  fileNotFound,
  permissionNotFound,
  unauthenticated,
} from './google-errors.js';
import { isSharedDriveItem, listedAcl, onlyInherited, ROLES, stronger } from './listed-acl.js';
import {
  type DriveItem,
  type DrivePermission,
  type DriveState,
  type PermissionRole,
  permissionIdFor,
} from './state.js';

type Route = (method: string, path: string, handler: Handler<DriveState>) => void;

const WRITE_ROLES: ReadonlySet<PermissionRole> = new Set([
  'owner',
  'organizer',
  'fileOrganizer',
  'writer',
]);
const DEFAULT_PERMISSION_FIELDS = parseFields('kind,id,type,role')!;
const PAGE_MAX = 100;

const flag = (req: SandboxRequest, name: string) => req.query.get(name) === 'true';

function bearer(req: SandboxRequest): string | undefined {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

/** Who the request acts as, or Drive's 401; then the project and user quotas. */
function authorize(req: SandboxRequest, state: DriveState): { subject: string } | SandboxResponse {
  const token = bearer(req);
  const grant = token ? state.accessTokens.get(token) : undefined;
  if (!grant || grant.expiresAt <= Date.now()) return unauthenticated();
  if (!state.limiters.project.hit('project').ok) {
    return driveError(403, 'rateLimitExceeded', 'Rate limit exceeded', { domain: 'usageLimits' });
  }
  if (!state.limiters.user.hit(grant.subject).ok) {
    return driveError(403, 'userRateLimitExceeded', 'User rate limit exceeded.', {
      domain: 'usageLimits',
    });
  }
  return { subject: grant.subject };
}

/** The caller's strongest role on an item: direct, through its shared drive, its domain, or anyone. */
function roleOf(state: DriveState, item: DriveItem, subject: string): PermissionRole | undefined {
  const acls = [
    item.permissions,
    ...(item.driveId ? [state.items.get(item.driveId)?.permissions ?? []] : []),
  ];
  const domain = subject.split('@')[1];
  let best: PermissionRole | undefined;
  for (const p of acls.flat()) {
    const applies =
      (p.type === 'user' && p.emailAddress?.toLowerCase() === subject.toLowerCase()) ||
      (p.type === 'domain' && p.domain === domain) ||
      p.type === 'anyone';
    if (applies && (best === undefined || ROLES.indexOf(p.role) < ROLES.indexOf(best)))
      best = p.role;
  }
  return best;
}

/** The item behind `fileId` as the caller may see it: shared-drive items need supportsAllDrives. */
function findItem(
  req: SandboxRequest,
  state: DriveState,
  subject: string,
): DriveItem | SandboxResponse {
  const fileId = req.params.fileId ?? '';
  const item = state.items.get(fileId);
  const inSharedDrive = item && (item.kind === 'drive' || item.driveId !== undefined);
  if (
    !item ||
    (inSharedDrive && !flag(req, 'supportsAllDrives')) ||
    !roleOf(state, item, subject)
  ) {
    return fileNotFound(fileId);
  }
  return item;
}

/** The caller and the item a write names, or the answer refusing the write. */
function writableItem(
  req: SandboxRequest,
  state: DriveState,
): { who: { subject: string }; item: DriveItem } | SandboxResponse {
  const who = authorize(req, state);
  if ('status' in who) return who;
  const item = findItem(req, state, who.subject);
  if (isResponse(item)) return item;
  return canWrite(state, item, who.subject) ? { who, item } : insufficient();
}

function canWrite(state: DriveState, item: DriveItem, subject: string): boolean {
  const role = roleOf(state, item, subject);
  return role !== undefined && WRITE_ROLES.has(role);
}

const insufficient = () =>
  driveError(
    403,
    'insufficientFilePermissions',
    'The user does not have sufficient permissions for this file.',
  );

function view(p: DrivePermission, req: SandboxRequest): Record<string, unknown> {
  const full = { kind: 'drive#permission', ...p };
  const mask = parseFields(req.query.get('fields'));
  return project(full, mask ?? DEFAULT_PERMISSION_FIELDS);
}

function pageToken(offset: number, fileId: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fileId })).toString('base64url');
}

function readPageToken(token: string, fileId: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      o?: unknown;
      f?: unknown;
    };
    return typeof parsed.o === 'number' && parsed.f === fileId ? parsed.o : undefined;
  } catch {
    return undefined;
  }
}

function validExpiration(value: unknown): string | SandboxResponse | undefined {
  if (value === undefined) return undefined;
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) return badRequest('Invalid value for expirationTime.', 'expirationTime');
  if (at <= Date.now())
    return badRequest('The expiration time must be in the future.', 'permission.expirationTime');
  if (at > Date.now() + 366 * 86_400_000) {
    return badRequest(
      'The expiration time cannot be more than a year in the future.',
      'permission.expirationTime',
    );
  }
  return new Date(at).toISOString();
}

const isResponse = (v: unknown): v is SandboxResponse =>
  typeof v === 'object' &&
  v !== null &&
  'status' in v &&
  typeof (v as { status: unknown }).status === 'number';

// Observed wording (CSSS/csss-site#644); the reason name is unconfirmed.
const inheritedRefusal = () =>
  driveError(
    403,
    'cannotModifyInheritedPermission',
    'Cannot update or delete an inherited permission on a shared drive item.',
  );

/** The permission a create asks for, before it meets what the item already has. */
function requested(
  body: Partial<DrivePermission>,
  email: string | undefined,
  expiration: string | undefined,
): DrivePermission {
  return {
    id: email
      ? permissionIdFor(email)
      : body.type === 'anyone'
        ? 'anyoneWithLink'
        : `${permissionIdFor(body.domain ?? '')}k`,
    type: body.type!,
    role: body.role!,
    ...(email ? { emailAddress: email, displayName: email.split('@')[0] ?? email } : {}),
    ...(body.domain ? { domain: body.domain } : {}),
    ...(expiration ? { expirationTime: expiration } : {}),
  };
}

/** The Drive v3 routes the connector uses, under `/drive/v3`. */
export function driveRoutes(route: Route): void {
  route('GET', '/drive/v3/files/:fileId/permissions', (req, state) => {
    const who = authorize(req, state);
    if ('status' in who) return who;
    const item = findItem(req, state, who.subject);
    if (isResponse(item)) return item;
    const sizeParam = req.query.get('pageSize');
    const asked = sizeParam === null ? undefined : Number(sizeParam);
    if (asked !== undefined && (!Number.isInteger(asked) || asked < 1)) {
      return badRequest(
        `Invalid value '${sizeParam}'. Values must be within the range: [1, 100]`,
        'pageSize',
      );
    }
    // Unset: a shared-drive item answers 100 at most, any other item its whole list.
    const size =
      asked !== undefined
        ? Math.min(asked, PAGE_MAX)
        : isSharedDriveItem(item)
          ? PAGE_MAX
          : Number.MAX_SAFE_INTEGER;
    const tokenParam = req.query.get('pageToken');
    const offset = tokenParam ? readPageToken(tokenParam, item.id) : 0;
    if (offset === undefined) return badRequest('Invalid page token.', 'pageToken');
    const all = listedAcl(state, item);
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? pageToken(offset + size, item.id) : undefined;
    const mask = parseFields(req.query.get('fields'));
    const body: Record<string, unknown> = {
      kind: 'drive#permissionList',
      ...(next ? { nextPageToken: next } : {}),
      permissions: page.map((p) => ({ kind: 'drive#permission', ...p })),
    };
    const listMask =
      mask ??
      new Map([
        ['kind', '*' as const],
        ['nextPageToken', '*' as const],
        ['permissions', DEFAULT_PERMISSION_FIELDS],
      ]);
    return { status: 200, body: project(body, listMask) };
  });

  route('POST', '/drive/v3/files/:fileId/permissions', async (req, state) => {
    const target = writableItem(req, state);
    if (isResponse(target)) return target;
    const { who, item } = target;
    const body = (req.body ?? {}) as Partial<DrivePermission>;
    if (!body.type || !['user', 'group', 'domain', 'anyone'].includes(body.type)) {
      return badRequest('Invalid permission type.', 'permission.type');
    }
    if (!body.role || !ROLES.includes(body.role))
      return badRequest('Invalid permission role.', 'permission.role');
    if (body.role === 'owner' && !flag(req, 'transferOwnership')) {
      return driveError(
        403,
        'forbidden',
        "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
        {
          location: 'transferOwnership',
        },
      );
    }
    if (!isSharedDriveItem(item) && (body.role === 'organizer' || body.role === 'fileOrganizer')) {
      return badRequest(
        `The role ${body.role} is only valid on shared drive items.`,
        'permission.role',
      );
    }
    const email = body.emailAddress?.trim().toLowerCase();
    if ((body.type === 'user' || body.type === 'group') && !email) {
      return badRequest(
        'The permission emailAddress field is required.',
        'permission.emailAddress',
      );
    }
    const notify = req.query.get('sendNotificationEmail') !== 'false';
    if (email && state.noGoogleAccount.has(email) && !notify) {
      return driveError(
        400,
        'invalidSharingRequest',
        `Bad Request. User message: "You are trying to invite ${email}. Since there is no Google account associated with this email address, you must check the "Notify people" box to invite this recipient."`,
      );
    }
    const expiration = validExpiration(body.expirationTime);
    if (isResponse(expiration)) return expiration;
    if (!state.limiters.shares.hit(who.subject).ok) {
      return driveError(
        403,
        'sharingRateLimitExceeded',
        'Rate limit exceeded. User message: "Sorry, you have exceeded your sharing quota."',
      );
    }
    const wanted = requested(body, email, expiration);
    const created = await writeAcl(state, item, (acl) => {
      // Sharing with someone who already has access raises their role, never lowers it
      // (third-party reports: odeke-em/drive#793, tidyverse/googledrive#318; unconfirmed by Google).
      const at = acl.findIndex((p) => p.id === wanted.id);
      const existing = acl[at];
      const next = existing
        ? { ...existing, ...wanted, role: stronger(existing.role, wanted.role) }
        : wanted;
      if (existing) acl[at] = next;
      else acl.push(next);
      return listedAcl(state, item, acl).find((p) => p.id === next.id) ?? next;
    });
    if (email && notify && state.undeliverable.has(email)) {
      // "Sharing succeeded, but the notification email was not correctly delivered" (Drive's
      // "Resolve errors" guide): the share stands, the answer is an error.
      return driveError(
        400,
        'invalidSharingRequest',
        `Bad Request. User message: "Sorry, the items were successfully shared but emails could not be sent to ${email}."`,
      );
    }
    return { status: 200, body: view(created, req) };
  });

  route('GET', '/drive/v3/files/:fileId/permissions/:permissionId', (req, state) => {
    const who = authorize(req, state);
    if ('status' in who) return who;
    const item = findItem(req, state, who.subject);
    if (isResponse(item)) return item;
    const found = listedAcl(state, item).find((p) => p.id === req.params.permissionId);
    return found
      ? { status: 200, body: view(found, req) }
      : permissionNotFound(req.params.permissionId ?? '');
  });

  route('PATCH', '/drive/v3/files/:fileId/permissions/:permissionId', async (req, state) => {
    const target = writableItem(req, state);
    if (isResponse(target)) return target;
    const { item } = target;
    const id = req.params.permissionId ?? '';
    const current = listedAcl(state, item).find((p) => p.id === id);
    if (!current) return permissionNotFound(id);
    if (onlyInherited(current)) return inheritedRefusal();
    const body = (req.body ?? {}) as Partial<DrivePermission>;
    if (body.role !== undefined && !ROLES.includes(body.role))
      return badRequest('Invalid permission role.', 'permission.role');
    if (current.role === 'owner' && body.role !== undefined && body.role !== 'owner') {
      // Unverified wording; Drive refuses to demote an owner without an ownership transfer.
      return driveError(
        403,
        'forbidden',
        'The owner of a file cannot be downgraded without transferring ownership.',
      );
    }
    if (body.role === 'owner' && !flag(req, 'transferOwnership')) {
      return driveError(
        403,
        'forbidden',
        "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
        {
          location: 'transferOwnership',
        },
      );
    }
    const expiration = validExpiration(body.expirationTime);
    if (isResponse(expiration)) return expiration;
    const updated = await writeAcl(state, item, (acl) => {
      // Applied to the item's own permission as it is when the write lands.
      const at = acl.findIndex((p) => p.id === id);
      const base = acl[at];
      if (!base) return current;
      acl[at] = {
        ...base,
        ...(body.role ? { role: body.role } : {}),
        ...(expiration ? { expirationTime: expiration } : {}),
      };
      return listedAcl(state, item, acl).find((p) => p.id === id) ?? current;
    });
    return { status: 200, body: view(updated, req) };
  });

  route('DELETE', '/drive/v3/files/:fileId/permissions/:permissionId', async (req, state) => {
    const target = writableItem(req, state);
    if (isResponse(target)) return target;
    const { item } = target;
    const id = req.params.permissionId ?? '';
    const current = listedAcl(state, item).find((p) => p.id === id);
    if (!current) return permissionNotFound(id);
    if (current.role === 'owner') {
      // Unverified wording; Drive never removes the owner of a My Drive item.
      return driveError(403, 'forbidden', 'The owner of a file cannot be removed.');
    }
    if (onlyInherited(current)) return inheritedRefusal();
    // Only the item's own permission goes: access inherited from the drive stays.
    await writeAcl(state, item, (acl) => {
      const at = acl.findIndex((p) => p.id === id);
      if (at >= 0) acl.splice(at, 1);
    });
    return { status: 204 };
  });

  route('GET', '/drive/v3/files/:fileId', (req, state) => {
    const who = authorize(req, state);
    if ('status' in who) return who;
    const item = findItem(req, state, who.subject);
    if (isResponse(item)) return item;
    const file = {
      kind: 'drive#file',
      id: item.id,
      name: item.name,
      mimeType:
        item.kind === 'file'
          ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
          : 'application/vnd.google-apps.folder',
      ...(item.driveId ? { driveId: item.driveId } : {}),
    };
    return {
      status: 200,
      body: project(
        file,
        parseFields(req.query.get('fields')) ?? parseFields('kind,id,name,mimeType')!,
      ),
    };
  });

  route('GET', '/drive/v3/drives/:driveId', (req, state) => {
    const who = authorize(req, state);
    if ('status' in who) return who;
    const id = req.params.driveId ?? '';
    const item = state.items.get(id);
    if (item?.kind !== 'drive' || !roleOf(state, item, who.subject)) {
      return driveError(404, 'notFound', `Shared drive not found: ${id}`, { location: 'driveId' });
    }
    return { status: 200, body: { kind: 'drive#drive', id: item.id, name: item.name } };
  });
}
