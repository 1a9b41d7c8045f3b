import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The packages a scaffolded connector depends on, and the ranges it asks for. */
export interface Ranges {
  readonly '@orchester/core': string;
  readonly '@orchester/sandbox': string;
  readonly zod: string;
  readonly typescript: string;
  readonly vitest: string;
  readonly '@types/node': string;
}

const NAMES = [
  '@orchester/core',
  '@orchester/sandbox',
  'zod',
  'typescript',
  'vitest',
  '@types/node',
] as const;

/**
 * The ranges this scaffolder was released with: its own devDependencies, which publishing turns
 * from `workspace:^` into the published versions. Run from the repository, a `workspace:` range
 * is read from the linked package's version, so the output never carries one (npm refuses them).
 */
export function releasedRanges(
  packageJsonUrl = new URL('../package.json', import.meta.url),
): Ranges {
  const own = JSON.parse(readFileSync(packageJsonUrl, 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const require = createRequire(packageJsonUrl);
  const out: Record<string, string> = {};
  for (const name of NAMES) {
    const range = own.devDependencies?.[name];
    if (!range) throw new Error(`create-connector's package.json has no range for ${name}`);
    out[name] = range.startsWith('workspace:')
      ? `^${(require(`${name}/package.json`) as { version: string }).version}`
      : /^\d/.test(range)
        ? `^${range}`
        : range;
  }
  return out as unknown as Ranges;
}
