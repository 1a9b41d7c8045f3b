import type { drive_v3 } from '@googleapis/drive';
import type { DriveRole } from './config.js';

export type Permission = drive_v3.Schema$Permission;
/** A user's permission as orchester reads it: always with an e-mail and an id. */
export type UserPermission = Permission & { emailAddress: string; id: string };

export const PERMISSION_FIELDS =
  'id,type,role,emailAddress,displayName,domain,deleted,expirationTime,pendingOwner,permissionDetails(permissionType,role,inherited,inheritedFrom)';

/** Drive's roles, weakest first: a higher index grants more. */
const RANK: readonly string[] = [
  'reader',
  'commenter',
  'writer',
  'fileOrganizer',
  'organizer',
  'owner',
];
export const rank = (role: string | null | undefined) => RANK.indexOf(role ?? '');

/** Only the item's own people: `anyone` and `domain` permissions carry no e-mail and are skipped. */
export function isUserPermission(p: Permission): p is UserPermission {
  return p.type === 'user' && typeof p.emailAddress === 'string' && typeof p.id === 'string';
}

/**
 * On a shared-drive item, the access a person has from the drive ("Inherited permissions cannot
 * be removed or reduced on any item", Drive's sharing guide): its role and the drive's id.
 */
export function inheritance(p: Permission): { role: string; from: string } | undefined {
  const detail = (p.permissionDetails ?? []).find((d) => d.inherited);
  if (!detail) return undefined;
  return {
    role: detail.role ?? p.role ?? 'reader',
    from: detail.inheritedFrom ?? 'its shared drive',
  };
}

/** The role the item itself gives the person, without what they inherit; undefined when none. */
export function ownRole(p: Permission): string | undefined {
  const details = p.permissionDetails ?? [];
  if (details.length === 0) return p.role ?? undefined;
  return details.find((d) => !d.inherited)?.role ?? undefined;
}

/** Whether what Drive shows is what `add` asked for: the role, and the expiry when one was asked. */
export function hasRole(
  p: Permission | undefined,
  role: DriveRole,
  expirationTime: string | undefined,
): boolean {
  if (!p || p.role !== role) return false;
  if (expirationTime === undefined) return true;
  return (
    typeof p.expirationTime === 'string' &&
    Date.parse(p.expirationTime) === Date.parse(expirationTime)
  );
}
