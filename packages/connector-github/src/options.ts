import type { MembershipOptions } from '@orchester/core';
import { z } from 'zod';

/** Roles in the organization, as `add --role` takes them. */
export const GITHUB_ROLES = ['member', 'admin'] as const;

/**
 * Options of `add` (command flags, batch columns, roster assignments). The package exports it
 * at `./options` too, so `orchest add --help` lists it without loading the connector.
 */
export const githubOptionsSchema = z
  .object({
    role: z
      .enum(GITHUB_ROLES)
      .optional()
      .meta({ description: 'role in the organization (default member)', actions: ['add'] }),
    teams: z
      .array(z.string().regex(/^[a-z\d][a-z\d_.-]*$/i, 'a team slug'))
      .optional()
      .meta({ description: "team slugs to join, instead of config's teams", actions: ['add'] }),
    fullName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: "the person's name (GitHub does not use it)", actions: ['add'] }),
  })
  .strict() as unknown as z.ZodType<MembershipOptions>;

export default githubOptionsSchema;
