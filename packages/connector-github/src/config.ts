import { z } from 'zod';
import { GITHUB_LOGIN } from './identifier.js';

const TEAM_SLUG = /^[a-z\d][a-z\d_.-]*$/i;

export const githubAppSchema = z
  .object({
    app_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'digits')]),
    /** PEM file of the App's private key, relative to the config file's folder. */
    private_key_path: z.string().min(1, 'the path of the App private key (.pem) file'),
    installation_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'digits')]),
  })
  .strict();

const TOKEN_FIX =
  'put a token with the admin:org scope here, e.g. "token": {"env": "GITHUB_TOKEN"}, or configure a GitHub App under "app"; "orchest generate github --token-stdin" checks and saves one';

/** The `github` instance block (orchester strips `type`, `base_url` and `limits` first). */
export const githubConfigSchema = z
  .object({
    /** The organization's login: `acme` in github.com/acme. */
    org: z.string().regex(GITHUB_LOGIN, 'the organization login, e.g. "acme" for github.com/acme'),
    /** A personal access token (classic with admin:org, or fine-grained with Members: read and write). */
    token: z.string().optional(),
    app: githubAppSchema.optional(),
    /** Team slugs every added login joins too. */
    teams: z.array(z.string().regex(TEAM_SLUG, 'a team slug such as "engineering"')).optional(),
    team_role: z.enum(['member', 'maintainer']).optional(),
    /** Per-request timeout. */
    timeout_ms: z.number().int().min(100).max(300_000).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const hasToken = typeof value.token === 'string' && value.token.trim() !== '';
    if (value.token !== undefined && !hasToken) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: `is empty; ${TOKEN_FIX}` });
    } else if (!hasToken && !value.app) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: `required; ${TOKEN_FIX}` });
    } else if (hasToken && value.app) {
      ctx.addIssue({
        code: 'custom',
        path: ['app'],
        message: 'give either "token" or "app", not both',
      });
    }
  });

export type GitHubConfig = z.output<typeof githubConfigSchema>;

/** Milliseconds a request may take before it counts as a transient failure. */
export const DEFAULT_TIMEOUT_MS = 15_000;
