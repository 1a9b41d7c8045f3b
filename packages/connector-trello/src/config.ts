import type { MembershipOptions } from '@orchester/core';
import { z } from 'zod';

/**
 * Trello's published limits: per token and per key on 10-second windows, and 100 requests per
 * 900 s to `/1/members/` (https://developer.atlassian.com/cloud/trello/guides/rest-api/rate-limits/).
 */
export const TRELLO_LIMITS = Object.freeze({
  perToken: 100,
  perKey: 300,
  windowMs: 10_000,
  membersRoute: 100,
  membersRouteWindowMs: 900_000,
});

// Trello keys and tokens are letters and digits; a quote or a space would break the OAuth header.
const secret = (name: string, fix: string) =>
  z
    .string({ error: `${name} is required; ${fix}` })
    .trim()
    .min(1, `${name} is empty; ${fix}`)
    .regex(/^[^\s"',]+$/, `${name} holds a space, quote or comma; ${fix}`);

const KEY_FIX =
  'copy the API key from https://trello.com/power-ups/admin (your Power-Up, "API key")';
const TOKEN_FIX = 'run "orchest generate trello" to authorize orchester and store a token';

/**
 * The instance block (orchester strips `type`, `base_url` and `limits` first). `org` is the
 * seed's spelling of `organization`; `api_secret` and `token_secret` are the seed's OAuth 1.0a
 * signing keys, accepted so old files validate but not needed: Trello accepts the key and the
 * token in the OAuth header without a signature.
 */
export const trelloConfigSchema = z
  .object({
    organization: z.string().trim().min(1).optional(),
    org: z.string().trim().min(1).optional(),
    api_key: secret('api_key', KEY_FIX),
    token: secret('token', TOKEN_FIX),
    api_secret: z.string().optional(),
    token_secret: z.string().optional(),
    timeout_ms: z.number().int().min(1_000).max(300_000).default(15_000),
    remove_from_boards: z.boolean().default(false),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.organization === undefined && value.org === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['organization'],
        message: 'required: the Trello workspace id or short name (trello.com/w/NAME), e.g. "acme"',
      });
    } else if (
      value.organization !== undefined &&
      value.org !== undefined &&
      value.organization !== value.org
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['org'],
        message: `"org" ("${value.org}") and "organization" ("${value.organization}") disagree; keep "organization"`,
      });
    }
  })
  .transform(({ org, organization, ...rest }) => ({
    ...rest,
    organization: (organization ?? org) as string,
  }));

export type TrelloConfig = z.output<typeof trelloConfigSchema>;

const USERNAME = /^[a-z0-9_]{1,100}$/;

/** A Trello username (an `@` in front is dropped) or an e-mail address, lower-cased. */
export const trelloIdentifierSchema = z
  .string()
  .trim()
  .min(1, 'empty')
  .transform((s) => s.toLowerCase().replace(/^@(?=[a-z0-9_]+$)/, ''))
  .pipe(
    z.union([z.email('an e-mail address such as ada@example.com'), z.string().regex(USERNAME)], {
      error: 'a Trello username (letters, digits, _) or an e-mail address',
    }),
  );

export function isEmail(identifier: string): boolean {
  return identifier.includes('@');
}

/** `add` takes a workspace role and an optional display name; `remove` may take the person off every board. */
/** Roles in the workspace, as `add --role` takes them. */
export const TRELLO_ROLES = ['normal', 'admin'] as const;

/** Options of `add`/`remove`; exported at `./options` for `orchest add --help`. */
export const trelloOptionsSchema = z
  .object({
    role: z
      .enum(TRELLO_ROLES)
      .optional()
      .meta({ description: 'role in the workspace (default normal)', actions: ['add'] }),
    fullName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({
        description: 'the name an e-mail invitation shows (default: taken from the e-mail)',
        actions: ['add'],
      }),
    removeFromBoards: z
      .boolean()
      .optional()
      .meta({
        description:
          "also take the person off every board of the workspace (config's remove_from_boards)",
        actions: ['remove'],
      }),
  })
  .strict()
  // Absent options stay absent (orchester's options type has no `undefined` values).
  .transform(
    (o): MembershipOptions =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
  );
