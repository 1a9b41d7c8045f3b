import type { DriveItem, DrivePermission, DriveState, PermissionRole } from './state.js';

/** Drive's roles, strongest first. */
export const ROLES: readonly PermissionRole[] = [
  'owner',
  'organizer',
  'fileOrganizer',
  'writer',
  'commenter',
  'reader',
];

export const stronger = (a: PermissionRole, b: PermissionRole): PermissionRole =>
  ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;

export const isSharedDriveItem = (item: DriveItem) =>
  item.kind === 'drive' || item.driveId !== undefined;

/**
 * The permissions Drive lists on an item. A shared drive lists its members; an item in a shared
 * drive lists the drive's members as inherited (`permissionDetails`, "present only for shared
 * drive items") beside its own permissions, one entry per person: someone with both has one
 * permission with both details, and the stronger role. `own` is the item's own permissions
 * (the live ones, or a copy a lost write works on).
 */
export function listedAcl(
  state: DriveState,
  item: DriveItem,
  own: readonly DrivePermission[] = item.permissions,
): DrivePermission[] {
  if (item.kind === 'drive')
    return own.map((p) => ({
      ...p,
      permissionDetails: [{ permissionType: 'member', role: p.role, inherited: false }],
    }));
  if (!item.driveId) return [...own];
  const listed = new Map<string, DrivePermission>();
  for (const member of state.items.get(item.driveId)?.permissions ?? []) {
    listed.set(member.id, {
      ...member,
      permissionDetails: [
        {
          permissionType: 'member',
          role: member.role,
          inherited: true,
          inheritedFrom: item.driveId,
        },
      ],
    });
  }
  for (const p of own) {
    const direct = { permissionType: 'file' as const, role: p.role, inherited: false };
    const inherited = listed.get(p.id);
    listed.set(
      p.id,
      inherited
        ? {
            ...p,
            role: stronger(p.role, inherited.role),
            permissionDetails: [...(inherited.permissionDetails ?? []), direct],
          }
        : { ...p, permissionDetails: [direct] },
    );
  }
  return [...listed.values()];
}

/** A listed permission that the item only inherits: it cannot be changed or removed there. */
export const onlyInherited = (p: DrivePermission) =>
  (p.permissionDetails ?? []).length > 0 && (p.permissionDetails ?? []).every((d) => d.inherited);
