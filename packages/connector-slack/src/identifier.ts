import { z } from 'zod';

/** A Slack person is named by e-mail; Slack compares e-mails case-insensitively, so do we. */
export const slackIdentifierSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'an e-mail address such as ada@example.com' }));

export const IDENTIFIER_HINT = 'an e-mail address';
