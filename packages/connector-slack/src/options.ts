import type { MembershipOptions } from '@orchester/core';
import { z } from 'zod';

/** Slack has one role for the people orchester adds. */
export const SLACK_ROLES = ['member'] as const;

const channelId = z
  .string()
  .regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel ID such as C0123ABCD (not the #name)');

/**
 * Options of `add`/`remove`; exported at `./options` for `orchest add --help`. `channels` are
 * the channels someone joins instead of the instance's (`channels` in config), as a roster gives
 * them per person; `leaveChannels` the ones they leave (plans with `prune` ask for it).
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
      .array(channelId)
      .optional()
      .meta({
        description: "channel IDs (C...) to join, instead of config's channels",
        actions: ['add'],
      }),
    leaveChannels: z
      .array(channelId)
      .optional()
      .meta({ description: 'channel IDs (C...) to leave', actions: ['add'] }),
  })
  .strict() as unknown as z.ZodType<MembershipOptions>;

export default slackOptionsSchema;
