import { homedir, userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { type OrchesterConfig, readConfigSection } from '../config/load.js';

/** The config's `audit` section. */
export const auditConfigSchema = z
  .object({
    /** The JSON-lines file inline runs append to; relative paths start at the config file's folder. */
    path: z.string().min(1, 'a file path such as "~/.orchester/audit.jsonl"').optional(),
    /** How many records the Redis audit stream of queued work keeps (trimmed approximately). */
    stream_max_len: z
      .number()
      .int()
      .min(1_000, 'at least 1000 records')
      .max(100_000_000)
      .optional(),
  })
  .strict();

/** Records kept in the Redis audit stream unless config `audit.stream_max_len` says otherwise. */
export const DEFAULT_AUDIT_STREAM_MAX_LEN = 100_000;

/** Config `audit.stream_max_len`, or 100,000. */
export function auditStreamMaxLenOf(config: OrchesterConfig): number {
  const section = readConfigSection(config, 'audit', auditConfigSchema);
  return section.stream_max_len ?? DEFAULT_AUDIT_STREAM_MAX_LEN;
}

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
