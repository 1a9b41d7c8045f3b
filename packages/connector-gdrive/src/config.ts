import { z } from 'zod';

/** Roles `add` can give, weakest first; Drive's `owner` is never given by orchester. */
export const DRIVE_ROLES = ['reader', 'commenter', 'writer', 'fileOrganizer', 'organizer'] as const;
export type DriveRole = (typeof DRIVE_ROLES)[number];

const path = (what: string) => z.string().trim().min(1, `${what} must not be empty`);

/**
 * The instance block of `.orchester.json` (after orchester strips `type`, `base_url`, `limits`).
 * Auth is one of: an OAuth client (`credential_path`, or `client_id` + `client_secret`) with its
 * stored token (`token_path`, or `refresh_token`); or a service account key file
 * (`service_account_path`, or a `credential_path` that holds a service-account key), optionally
 * acting as `subject` through domain-wide delegation.
 */
export const gdriveConfigSchema = z
  .object({
    file_id: z
      .string()
      .trim()
      .min(1, 'file_id must name the folder, file or shared drive to manage'),
    role: z.enum(DRIVE_ROLES).default('reader'),
    send_notification_email: z.boolean().default(false),
    email_message: z.string().max(2000).optional(),
    credential_path: path('credential_path').optional(),
    token_path: path('token_path').optional(),
    client_id: z.string().trim().min(1).optional(),
    client_secret: z.string().min(1).optional(),
    refresh_token: z.string().min(1).optional(),
    service_account_path: path('service_account_path').optional(),
    subject: z.email('subject must be the e-mail of the Workspace user to act as').optional(),
    timeout_ms: z.number().int().min(1000).max(600_000).default(30_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue = (message: string, key: string) =>
      ctx.addIssue({ code: 'custom', message, path: [key] });
    if (c.email_message !== undefined && !c.send_notification_email) {
      issue(
        'email_message travels in the notification e-mail; set send_notification_email: true or remove it',
        'email_message',
      );
    }
    if (c.service_account_path) {
      for (const key of [
        'credential_path',
        'client_id',
        'client_secret',
        'token_path',
        'refresh_token',
      ] as const) {
        if (c[key] !== undefined)
          issue(
            `${key} belongs to OAuth; a service account (service_account_path) needs none`,
            key,
          );
      }
      return;
    }
    if (c.credential_path && (c.client_id || c.client_secret)) {
      issue('give either credential_path or client_id + client_secret, not both', 'client_id');
    }
    if ((c.client_id === undefined) !== (c.client_secret === undefined)) {
      issue(
        'client_id and client_secret go together',
        c.client_id === undefined ? 'client_id' : 'client_secret',
      );
    }
    if (!c.credential_path && !c.client_id) {
      issue(
        'no credentials: set credential_path (the OAuth client file from Google Cloud Console) and token_path, then run "orchest generate"; or set service_account_path to a service account key file',
        'credential_path',
      );
    }
    if (c.token_path && c.refresh_token)
      issue('give either token_path or refresh_token, not both', 'refresh_token');
  });
export type GdriveConfig = z.output<typeof gdriveConfigSchema>;

/** An e-mail address, lower-cased: Drive compares them case-insensitively. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('an e-mail address such as ada@example.com'));

/**
 * Options of `add`/`remove`. A missing `role` means the config's `role`. Exported at `./options`
 * for `orchest add --help`.
 */
export const gdriveOptionsSchema = z
  .object({
    role: z
      .enum(DRIVE_ROLES)
      .optional()
      .meta({ description: "role on the item (default: config's role)", actions: ['add'] }),
    expirationTime: z.iso
      .datetime({
        offset: true,
        message: 'expirationTime must be an RFC 3339 time such as 2026-12-31T00:00:00Z',
      })
      .optional()
      .meta({
        description: 'RFC 3339 time when Drive takes the access away (at most a year ahead)',
        actions: ['add'],
      }),
    emailMessage: z
      .string()
      .max(2000)
      .optional()
      .meta({
        description: "text for Drive's notification e-mail (needs send_notification_email)",
        actions: ['add'],
      }),
    fullName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: "the person's name (Drive does not use it)", actions: ['add'] }),
  })
  .strict()
  .transform((o): GdriveOptions => {
    const out: GdriveOptions = o.role === undefined ? {} : { role: o.role };
    if (o.expirationTime !== undefined) out.expirationTime = o.expirationTime;
    if (o.emailMessage !== undefined) out.emailMessage = o.emailMessage;
    if (o.fullName !== undefined) out.fullName = o.fullName;
    return out;
  });

/** Options as `add` receives them. */
export interface GdriveOptions {
  role?: DriveRole;
  expirationTime?: string;
  emailMessage?: string;
  fullName?: string;
  [key: string]: unknown;
}
