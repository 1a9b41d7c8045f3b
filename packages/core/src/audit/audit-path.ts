import { homedir, userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { type OrchesterConfig, readConfigSection } from '../config/load.js';

/** The config's `audit` section. */
export const auditConfigSchema = z
  .object({
    /** The JSON-lines file inline runs append to; relative paths start at the config file's folder. */
    path: z.string().min(1, 'a file path such as "~/.orchester/audit.jsonl"').optional(),
  })
  .strict();

/** `~/.orchester/audit.jsonl`, unless config `audit.path` says otherwise. */
export function auditPathOf(config: OrchesterConfig, home: string = homedir()): string {
  const section = readConfigSection(config, 'audit', auditConfigSchema);
  const path = section.path;
  if (!path) return join(home, '.orchester', 'audit.jsonl');
  if (path === '~' || path.startsWith('~/')) return join(home, path.slice(1));
  return isAbsolute(path) ? path : resolve(config.dir, path);
}

/** Who the audit trail says asked: config `actor`, else the OS user name. */
export function actorOf(config: OrchesterConfig): string {
  if (config.actor) return config.actor;
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
