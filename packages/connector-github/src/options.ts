import type { MembershipOptions } from '@orchester/core';
import { z } from 'zod';

/** Roles in the organization, as `add --role` takes them. */
export const GITHUB_ROLES = ['member', 'admin'] as const;

/** Roles inside a team; a team entry without one joins with config's `team_role` (default member). */
export const GITHUB_TEAM_ROLES = ['member', 'maintainer'] as const;

const TEAM_SLUG = /^[a-z\d][a-z\d_.-]*$/i;
const TEAM_ENTRY = /^[a-z\d][a-z\d_.-]*(:(member|maintainer))?$/i;

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
      .array(z.string().regex(TEAM_ENTRY, 'a team slug, or slug:maintainer / slug:member'))
      .optional()
      .meta({
        description:
          "team slugs to join (slug:maintainer for a maintainer), instead of config's teams",
        actions: ['add'],
      }),
    leaveTeams: z
      .array(z.string().regex(TEAM_SLUG, 'a team slug'))
      .optional()
      .meta({ description: 'team slugs to leave', actions: ['add'] }),
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
