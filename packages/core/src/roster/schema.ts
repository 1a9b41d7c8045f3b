import { z } from 'zod';

/** An instance's management settings in the roster's `instances` section. */
export const rosterInstanceSchema = z
  .object({
    prune: z.boolean().optional(),
    maxRemovalRatio: z.number().min(0).max(1).optional(),
    minAdmins: z.number().int().min(0).optional(),
    adminRole: z.string().min(1).optional(),
  })
  .strict();

/** The value of one assignment: a role, `{ role, teams, channels }`, or nothing (default role). */
export const assignmentValueSchema = z.union([
  z.string().min(1),
  z.null(),
  z
    .object({
      role: z.string().min(1).optional(),
      teams: z.array(z.string().min(1)).optional(),
      channels: z.array(z.string().min(1)).optional(),
    })
    .strict(),
]);
export type AssignmentValue = z.output<typeof assignmentValueSchema>;

export const rosterPersonSchema = z
  .object({
    name: z.string().trim().min(1, 'a non-empty name'),
    email: z.email({ message: 'an e-mail address such as "ada@example.com"' }),
    identities: z.record(z.string(), z.string().trim().min(1)).optional(),
    groups: z.array(z.string().min(1)).optional(),
    // Checked by hand: a map or a list, with messages naming the entry.
    access: z.unknown().optional(),
  })
  .strict();

/** The file's outline; each instance's settings and each person are checked on their own. */
export const rosterFileSchema = z
  .object({
    instances: z.record(z.string(), z.unknown()).optional(),
    groups: z.record(z.string(), z.unknown()).optional(),
    people: z.array(z.unknown()),
  })
  .strict();
