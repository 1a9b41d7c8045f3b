import type { z } from 'zod';

/** `a.b[0].c` for a zod path under `base`. */
export function formatPath(
  base: readonly (string | number)[],
  path: readonly PropertyKey[],
): string {
  let out = '';
  for (const part of [...base, ...path]) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
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
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (remove or correct ${issue.keys.length > 1 ? 'them' : 'it'})`;
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return `${where}: required, expected ${issue.expected}`;
    }
    return `${where}: ${issue.message}`;
  });
}
