import type { z } from 'zod';
import { quote } from '../input.js';

/** `a.b[0].c` for a zod path under `base`. */
export function formatPath(
  base: readonly (string | number)[],
  path: readonly PropertyKey[],
): string {
  let out = '';
  const parts = [
    ...base.map((p) => ({ p, fromFile: false })),
    ...path.map((p) => ({ p, fromFile: true })),
  ];
  for (const { p: part, fromFile } of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      // A key from the file that is not a plain name is shown quoted, escaped and short.
      const text = String(part);
      const name = !fromFile || /^[\w-]{1,60}$/.test(text) ? text : quote(text, 40);
      out += out === '' ? name : `.${name}`;
    }
  }
  return out || '(top level)';
}

/** One readable line per zod issue: where, what was wrong, what was expected. */
export function describeIssues(
  error: z.ZodError,
  base: readonly (string | number)[] = [],
): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(base, issue.path);
    if (issue.code === 'unrecognized_keys') {
      // Keys come from a file: a few, quoted short, so a wrong file is not printed back.
      const shown = issue.keys.slice(0, 5).map((k) => quote(k, 40));
      const more = issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : '';
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${shown.join(', ')}${more} (remove or correct ${issue.keys.length > 1 ? 'them' : 'it'})`;
    }
    // zod 4 keeps no input in its issues by default; its message says what it received.
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      return `${where}: required, expected ${issue.expected}`;
    }
    return `${where}: ${issue.message}`;
  });
}
