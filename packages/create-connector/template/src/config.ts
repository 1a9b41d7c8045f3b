import { z } from 'zod';

/** Roles in a group, weakest first, and the access levels the API writes them as. */
export const ROLES = ['guest', 'reporter', 'developer', 'maintainer', 'owner'] as const;
export type Role = (typeof ROLES)[number];
export const ACCESS_LEVELS = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 };
/** What `add` gives someone new when no role is asked for. */
export const DEFAULT_ROLE: Role = 'developer';

export function roleOf(accessLevel: number): Role {
  return ROLES.find((role) => ACCESS_LEVELS[role] === accessLevel) ?? 'guest';
}

/** The instance's block in .orchester.json; orchester strips `type`, `base_url` and `limits` first. */
export const configSchema = z
  .object({
    /** The group people are added to: its path (`acme`) or numeric id. */
    group: z.string().min(1),
    /** An access token allowed to manage the group's members. Give it as `{ "env": "NAME" }`. */
    token: z.string().min(1),
  })
  .strict();
export type Config = z.output<typeof configSchema>;

/** A username, compared lower-case. */
export const identifierSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,254}$/, 'a username: letters, digits, "_", "." and "-"');

/** Options of `add`/`remove`; exported alone at `./options` for `orchest add --help`. */
export const optionsSchema = z
  .object({
    role: z
      .enum(ROLES)
      .optional()
      .meta({
        description: `role in the group (someone new gets ${DEFAULT_ROLE}; someone already there keeps theirs)`,
        actions: ['add'],
      }),
  })
  .strict()
  // Absent options stay absent: orchester's options type has no `undefined` values.
  .transform((o): { role?: Role } => (o.role === undefined ? {} : { role: o.role }));
