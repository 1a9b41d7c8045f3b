import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { auditPathOf } from '../audit/audit-path.js';
import type { OrchesterConfig } from '../config/load.js';

/**
 * The identity file of commands that run without a queue: `identities.json` beside the audit
 * file (`~/.orchester/identities.json` unless config `audit.path` moves both).
 */
export function identitiesPathOf(config: OrchesterConfig, home: string = homedir()): string {
  return join(dirname(auditPathOf(config, home)), 'identities.json');
}
