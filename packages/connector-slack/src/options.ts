import type { MembershipOptions } from '@orchester/core';
import { z } from 'zod';

/** Slack has one role for the people orchester adds. */
export const SLACK_ROLES = ['member'] as const;

/**
 * Options of `add`/`remove`; exported at `./options` for `orchest add --help`. Channels are the
 * instance's (`channels` in config), the same for everyone it adds: a per-person `channels`
 * option is refused with a message that says so, instead of an unknown key.
 */
export const slackOptionsSchema = z
  .object({
    role: z
      .enum(SLACK_ROLES)
      .optional()
      .meta({ description: 'role in the workspace (Slack has one)', actions: ['add'] }),
    fullName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({
        description: "the person's name on the invitation or new account",
        actions: ['add'],
      }),
    channels: z
      .never({
        error:
          'Slack channels are set per instance, not per person: list the channel IDs (C...) in the instance\'s "channels" config; everyone the instance adds joins them',
      })
      .optional(),
  })
  .strict() as unknown as z.ZodType<MembershipOptions>;

export default slackOptionsSchema;
