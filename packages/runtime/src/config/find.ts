import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const CONFIG_FILE_NAMES = ['.orchester.json', '.orchester.yaml', '.orchester.yml'] as const;

export interface ConfigLocation {
  /** The file to read, or undefined when none exists anywhere we look. */
  readonly path: string | undefined;
  /** Where we looked, in order, for the "no config found" message. */
  readonly searched: readonly string[];
  /** Whether the path was named explicitly (`--config` or ORCHESTER_CONFIG_PATH): then it must exist. */
  readonly explicit: boolean;
}

/** `--config`, then ORCHESTER_CONFIG_PATH, then the current directory, then the home directory. */
export function findConfigFile(
  options: {
    explicitPath?: string | undefined;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    home?: string;
  } = {},
): ConfigLocation {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit = options.explicitPath ?? (env.ORCHESTER_CONFIG_PATH || undefined);
  if (explicit)
    return { path: resolve(cwd, explicit), searched: [resolve(cwd, explicit)], explicit: true };
  const searched: string[] = [];
  for (const dir of [cwd, options.home ?? homedir()]) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      searched.push(candidate);
      if (existsSync(candidate)) return { path: candidate, searched, explicit: false };
    }
  }
  return { path: undefined, searched, explicit: false };
}
