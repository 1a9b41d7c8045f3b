import { z } from 'zod';

/** How add and remove reach Slack: each plan opens a different door. */
export const SLACK_MODES = ['admin', 'scim', 'legacy'] as const;
export type SlackMode = (typeof SLACK_MODES)[number];

const slackId = (prefix: string, what: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}[A-Z0-9]{2,}$`), `a Slack ${what} ID such as ${prefix}0123ABCD`);

const token = z.string().trim().min(1, 'a token');

/** The instance block, after orchester took out `type`, `base_url` and `limits`. */
export const slackConfigSchema = z
  .object({
    /** admin (Enterprise Grid), scim (Business+ and Enterprise) or legacy (deprecated). */
    mode: z.enum(SLACK_MODES).optional(),
    /** Bot or user token for reads: users.lookupByEmail, users.list, conversations.*. */
    token: token.optional(),
    /** Org-level admin user token (admin mode) or SCIM token (scim mode); defaults to `token`. */
    admin_token: token.optional(),
    /** The seed's legacy token, used by legacy mode for users.admin.* methods. */
    legacy_token: token.optional(),
    /** Workspace that admin mode invites into. */
    team_id: slackId('T', 'workspace').optional(),
    /** Channels admin.users.invite puts new people in; Slack requires at least one. */
    channel_ids: z.array(slackId('[CG]', 'channel')).optional(),
    /** Channels to invite people to after adding them (and to kick them from on removal in admin mode). */
    channels: z.array(slackId('[CG]', 'channel')).optional(),
    /** OAuth app credentials for `orchest generate`. */
    client_id: z.string().trim().min(1).optional(),
    client_secret: z.string().trim().min(1).optional(),
    /** Port of the OAuth callback server of `orchest generate` (default 8888). */
    oauth_port: z.number().int().min(0).max(65535).optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const mode = modeOf(cfg);
    const need = (key: keyof typeof cfg, why: string) => {
      if (cfg[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: why });
    };
    if (mode === 'admin') {
      need('team_id', 'admin mode needs the workspace ID (T...) that people are invited into');
      if (!cfg.channel_ids || cfg.channel_ids.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['channel_ids'],
          message:
            'admin mode needs at least one channel ID (C...): Slack’s admin.users.invite requires channel_ids',
        });
      }
      if (!cfg.token && !cfg.admin_token)
        need('admin_token', 'admin mode needs an org-level admin user token (xoxp-...)');
    } else if (mode === 'scim') {
      if (!cfg.token && !cfg.admin_token)
        need('token', 'scim mode needs a token with the `admin` scope (xoxp-...)');
    } else {
      need('legacy_token', 'legacy mode needs the legacy token of a workspace admin');
    }
  });

export type SlackConfig = z.output<typeof slackConfigSchema>;

/**
 * The mode when config names none: `admin` when a `team_id` is set, `legacy` when only the seed's
 * `legacy_token` is there (old set-ups keep working), otherwise `scim`.
 */
export function modeOf(cfg: {
  mode?: SlackMode | undefined;
  team_id?: string | undefined;
  legacy_token?: unknown;
  token?: unknown;
}): SlackMode {
  if (cfg.mode) return cfg.mode;
  if (cfg.team_id) return 'admin';
  if (cfg.legacy_token !== undefined) return 'legacy';
  return 'scim';
}
