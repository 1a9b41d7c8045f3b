import { z } from 'zod';

/**
 * A GitHub login: 1–39 letters, digits or single inner hyphens, no hyphen at either end.
 * GitHub treats logins case-insensitively, so they are lower-cased: `Octocat` and `octocat`
 * are one person, one job id, one roster row.
 */
export const GITHUB_LOGIN = /^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i;

const emailSchema = z.email();

/** True when `identifier` (already parsed) is an e-mail rather than a login. */
export function isEmailIdentifier(identifier: string): boolean {
  return identifier.includes('@');
}

/** A GitHub login, or an e-mail address for an e-mail invitation; both lower-cased. */
export const githubIdentifierSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (value.includes('@')) {
      if (!emailSchema.safeParse(value).success) {
        ctx.addIssue({ code: 'custom', message: 'not a valid e-mail address' });
      }
      return;
    }
    if (!GITHUB_LOGIN.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a GitHub login is 1–39 letters, digits or single hyphens, and neither starts nor ends with a hyphen',
      });
    }
  })
  .transform((value) => value.toLowerCase());

export const GITHUB_IDENTIFIER_HINT =
  'a GitHub login (e.g. octocat) or an e-mail address to invite';
